import { SETTING_PATHS, environmentProfile, isSettingValue, setSettingValue, settingOf, settingValue, type EnvironmentConfig } from '@tap/validation';
import { MANIFEST_VERSION } from './constants';
import { ManifestHashMismatchError, ManifestSchemaError } from './errors';
import { computeConfigHash } from './hash';
import { MANIFEST_FIELDS, manifestSchema, settingLeaf } from './schema';
import { MANIFEST_FORMAT, upgradeFile } from './upgrade';
import type { ConfigManifest, ManifestExtras } from './types';

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
  // Each setting at its manifest path (SETTINGS); the schema check below types the result.
  const configuration: Record<string, unknown> = {};
  for (const path of SETTING_PATHS) {
    const { manifest, fallback } = settingOf(path);
    const value = settingValue(config, path) ?? fallback;
    if (manifest === null || value === undefined) continue;
    const [group, name] = manifest.split('.');
    if (name === undefined) configuration[group] = value;
    else configuration[group] = { ...asRecord(configuration[group]), [name]: value };
  }
  configuration['docker'] = { imageUri: extras.imageUri };
  const manifest = {
    manifestVersion: MANIFEST_VERSION,
    environment: config.environment,
    timestamp: extras.timestamp ?? new Date().toISOString(),
    fields: [...MANIFEST_FIELDS],
    configuration,
    configHash: computeConfigHash(configuration),
  } as const;
  return verifyManifest(manifest, 'createConfigManifest');
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? { ...value } : {};
}

/**
 * Checks that `value` is a configuration manifest (schema) whose `configHash` matches its configuration,
 * and returns it typed, in the current format: a file of an older format is checked by its own format's schema and
 * upgraded (`MANIFEST_FORMAT`; the configuration, and so the hash, is never changed). `source` (usually the file) names
 * the input in errors.
 *
 * @throws ManifestSchemaError when the shape is wrong (or the format is newer than this package reads);
 *   ManifestHashMismatchError when the hash does not match.
 * @example
 * const manifest = verifyManifest(JSON.parse(text), 'manifests/prod.json');
 */
export function verifyManifest(value: unknown, source = 'manifest'): ConfigManifest {
  const upgraded = upgradeFile(value, MANIFEST_FORMAT);
  if (!upgraded.ok) throw new ManifestSchemaError(source, upgraded.issues);
  const parsed = manifestSchema.safeParse(upgraded.value);
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
 * has no field for the Lambda image; every setting maps one to one (its `manifest` path in `SETTINGS`, see `CONFIG_PATHS`).
 *
 * @throws TypeError when a value is not of its setting's type (a manifest that passed `verifyManifest` never has one).
 * @example
 * manifestToEnvironmentConfig(manifest).lambda.memoryMb; // manifest.configuration.lambda.memory
 */
export function manifestToEnvironmentConfig(manifest: ConfigManifest): EnvironmentConfig {
  // Every setting of the profile is overwritten from the manifest below (or removed, when optional and absent).
  const config = environmentProfile(manifest.environment, manifest.configuration.environmentSuffix);
  for (const path of SETTING_PATHS) {
    const at = settingOf(path).manifest;
    if (at === null) continue;
    const value = settingLeaf(manifest.configuration, path);
    if (!isSettingValue(path, value)) throw new TypeError(`${at} of the ${manifest.environment} manifest is ${JSON.stringify(value)}, expected type ${settingOf(path).type}`);
    setSettingValue(config, path, value);
  }
  return config;
}
