import { z } from 'zod';
import { IMAGE_URI_PATH } from '../constants';
import { diffFlattened, flattenConfiguration } from '../diff';
import { LiveDriftError } from '../errors';
import type { LoadedManifest } from '../types';
import type { DeployedChange, DeployedComparison } from './types';

// Lenient on purpose: a stack deployed by older code may hold a manifest the current schema would refuse, and that
// is exactly the drift to report, not a reason to fail.
const deployedSchema = z
  .object({
    environment: z.string(),
    configuration: z.record(z.unknown()),
    configHash: z.string().optional(),
    timestamp: z.string().optional(),
  })
  .passthrough();

export const LABELS = {
  'not-deployed': 'in code (approved) but not deployed',
  'not-in-code': 'deployed but not in code',
} as const;

/**
 * The comparable part of an image URI: `<repository>:<tag>` without the registry host, because the offline synth
 * registers images in a mock account (`123456789012.dkr.ecr...`) while the deployed one is real.
 *
 * @example
 * comparableImageUri('111122223333.dkr.ecr.us-east-2.amazonaws.com/payments-dev:519b7d'); // 'payments-dev:519b7d'
 */
export function comparableImageUri(uri: unknown): unknown {
  return typeof uri === 'string' ? uri.replace(/^[^/]*\.[^/]*\//, '') : uri;
}

function comparable(configuration: unknown): Record<string, unknown> {
  const flat = flattenConfiguration(configuration);
  if (IMAGE_URI_PATH in flat) flat[IMAGE_URI_PATH] = comparableImageUri(flat[IMAGE_URI_PATH]);
  return flat;
}

/**
 * The deployed `configManifest` stack output against the offline synth of the current code, path by path:
 * a path whose code value is not deployed is "in code (approved) but not deployed"; a path deployed but absent
 * from the code is "deployed but not in code". `deployed` undefined means the stack has no such output: reported as
 * drift (`missing`), not an error. `docker.imageUri` is compared without the registry host (see comparableImageUri).
 *
 * @throws LiveDriftError when the output is secret, not a manifest, or belongs to another environment.
 * @example
 * const result = compareDeployed(JSON.parse(stackOutput), loadManifest('dist/apps/tap-stack/synth/dev/manifest.json'));
 * result.changes; // [{ path: 'monitoring.errorThreshold', kind: 'not-deployed', deployed: 10, code: 8, ... }]
 */
export function compareDeployed(deployed: unknown, code: LoadedManifest, source = 'stack output configManifest'): DeployedComparison {
  const base = { codeFile: code.file, codeHash: code.manifest.configHash };
  if (deployed === undefined) {
    return {
      ...base,
      status: 'missing',
      changes: [],
      note: 'the stack has no configManifest output: it was never deployed, or was deployed before configuration manifests existed; deploy it to record one',
    };
  }
  if (deployed === '[secret]') {
    throw new LiveDriftError('stack-output', source, 'the output is secret; configManifest must be a plain output (it holds no secret values)');
  }
  const parsed = deployedSchema.safeParse(deployed);
  if (!parsed.success) {
    throw new LiveDriftError('stack-output', source, 'not a configuration manifest (expected an object with environment and configuration)');
  }
  if (parsed.data.environment !== code.manifest.environment) {
    throw new LiveDriftError(
      'stack-output',
      source,
      `belongs to environment ${parsed.data.environment} but the code manifest ${code.file} is ${code.manifest.environment}; check --stack and --code`,
    );
  }
  const changes = diffFlattened(comparable(parsed.data.configuration), comparable(code.manifest.configuration)).map(
    ({ path, kind: diffKind, before, after }): DeployedChange => {
      const kind = diffKind === 'removed' ? 'not-in-code' : 'not-deployed';
      return { path, kind, label: LABELS[kind], deployed: before, code: after };
    },
  );
  return {
    ...base,
    status: changes.length > 0 ? 'drift' : 'in-sync',
    deployedHash: parsed.data.configHash,
    deployedAt: parsed.data.timestamp,
    changes,
  };
}
