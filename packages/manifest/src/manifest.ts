import { DEFAULT_LAMBDA_TIMEOUT_SECONDS, type EnvironmentConfig } from '@tap/validation';
import { MANIFEST_VERSION } from './constants';
import { ManifestHashMismatchError, ManifestSchemaError } from './errors';
import { computeConfigHash } from './hash';
import { manifestSchema } from './schema';
import type { ConfigManifest, ManifestConfiguration, ManifestExtras } from './types';

/**
 * Builds the manifest of one environment: its configuration in the manifest's terms, and the hash of it.
 *
 * @example
 * const manifest = createConfigManifest(environmentProfile('dev'), {
 *   imageUri: '123456789012.dkr.ecr.us-east-2.amazonaws.com/payments:1.4.0',
 *   timestamp: '2025-01-01T00:00:00.000Z',
 * });
 * manifest.configuration.lambda.memory; // 1024
 */
export function createConfigManifest(config: EnvironmentConfig, extras: ManifestExtras): ConfigManifest {
  const configuration: ManifestConfiguration = {
    region: config.region,
    environmentSuffix: config.environmentSuffix,
    lambda: {
      memory: config.lambda.memoryMb,
      cpu: config.lambda.vcpu,
      timeoutSeconds: config.lambda.timeoutSeconds ?? DEFAULT_LAMBDA_TIMEOUT_SECONDS,
      ...(config.lambda.reservedConcurrency === undefined ? {} : { reservedConcurrency: config.lambda.reservedConcurrency }),
    },
    database: {
      instanceClass: config.database.instanceClass,
      engineVersion: config.database.engineVersion,
      instanceCount: config.database.instanceCount,
    },
    secrets: { rotationDays: config.secrets.rotationDays },
    backup: { retentionDays: config.database.backupRetentionDays },
    logging: { retentionDays: config.logging.retentionDays },
    encryption: { kmsEnabled: config.encryption.kmsEnabled },
    monitoring: { ...config.monitoring },
    docker: { imageUri: extras.imageUri },
  };
  const manifest = {
    manifestVersion: MANIFEST_VERSION,
    environment: config.environment,
    timestamp: extras.timestamp ?? new Date().toISOString(),
    configuration,
    configHash: computeConfigHash(configuration),
  } as const;
  return verifyManifest(manifest, 'createConfigManifest');
}

/**
 * Checks that `value` is a configuration manifest (schema) whose `configHash` matches its configuration,
 * and returns it typed. `source` (usually the file) names the input in errors.
 *
 * @throws ManifestSchemaError when the shape is wrong; ManifestHashMismatchError when the hash does not match.
 * @example
 * const manifest = verifyManifest(JSON.parse(text), 'manifests/prod.json');
 */
export function verifyManifest(value: unknown, source = 'manifest'): ConfigManifest {
  const parsed = manifestSchema.safeParse(value);
  if (!parsed.success) {
    throw new ManifestSchemaError(
      source,
      parsed.error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`),
    );
  }
  const manifest = parsed.data as ConfigManifest;
  const computed = computeConfigHash(manifest.configuration);
  if (computed !== manifest.configHash) throw new ManifestHashMismatchError(source, manifest.configHash, computed);
  return manifest;
}

/**
 * The `EnvironmentConfig` a manifest describes, so the validation rules can judge a manifest. The manifest
 * has no field for the Lambda image; everything else maps one to one (see `CONFIG_PATHS`).
 */
export function manifestToEnvironmentConfig(manifest: ConfigManifest): EnvironmentConfig {
  const c = manifest.configuration;
  return {
    environment: manifest.environment,
    region: c.region,
    environmentSuffix: c.environmentSuffix,
    lambda: {
      memoryMb: c.lambda.memory,
      vcpu: c.lambda.cpu,
      timeoutSeconds: c.lambda.timeoutSeconds,
      ...(c.lambda.reservedConcurrency === undefined ? {} : { reservedConcurrency: c.lambda.reservedConcurrency }),
    },
    database: {
      instanceClass: c.database.instanceClass,
      instanceCount: c.database.instanceCount,
      engineVersion: c.database.engineVersion,
      backupRetentionDays: c.backup.retentionDays,
    },
    monitoring: { ...c.monitoring },
    secrets: { rotationDays: c.secrets.rotationDays },
    logging: { retentionDays: c.logging.retentionDays },
    encryption: { kmsEnabled: c.encryption.kmsEnabled },
  };
}
