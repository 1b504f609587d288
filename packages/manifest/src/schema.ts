import { ENVIRONMENT_NAMES } from '@tap/validation';
import { z } from 'zod';
import { MANIFEST_VERSION } from './constants';

const finite = z.number().finite();

/** What a configuration manifest must look like; unknown keys are rejected at every level. */
export const configurationSchema = z
  .object({
    region: z.string().min(1),
    environmentSuffix: z.string().min(1),
    lambda: z
      .object({ memory: finite, cpu: finite, timeoutSeconds: finite, reservedConcurrency: finite.optional() })
      .strict(),
    database: z.object({ instanceClass: z.string().min(1), engineVersion: z.string().min(1), instanceCount: finite }).strict(),
    secrets: z.object({ rotationDays: finite }).strict(),
    backup: z.object({ retentionDays: finite }).strict(),
    logging: z.object({ retentionDays: finite }).strict(),
    encryption: z.object({ kmsEnabled: z.boolean() }).strict(),
    monitoring: z
      .object({
        errorThreshold: finite,
        latencyThresholdMs: finite,
        dbCpuThresholdPercent: finite,
        dbConnectionsThreshold: finite,
      })
      .strict(),
    docker: z.object({ imageUri: z.string().min(1) }).strict(),
  })
  .strict();

export const manifestSchema = z
  .object({
    manifestVersion: z.literal(MANIFEST_VERSION),
    environment: z.enum(ENVIRONMENT_NAMES),
    timestamp: z.string().datetime({ offset: true }),
    configuration: configurationSchema,
    configHash: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex characters (SHA-256)'),
  })
  .strict();
