import { environmentProfile, type EnvironmentName } from '@tap/validation';
import { readStackSettings, type ConfigSource } from '../config';
import { StackConfigError } from '../errors';
import { readStackConfigFile } from '../synth/stackConfig';
import { PreflightError } from './errors';
import type { PreflightTarget } from './types';

/** A `ConfigSource` over plain `namespace:key` values, as `Pulumi.<stack>.yaml` holds them. */
export function valuesConfigSource(values: Readonly<Record<string, string>>): ConfigSource {
  return { get: (key) => values[key], keys: () => Object.keys(values) };
}

/**
 * What `stack` would deploy, read as the program reads it (unknown keys, environment and validation included), from
 * the values of its `Pulumi.<stack>.yaml`.
 *
 * @throws PreflightError (`input`) when the config would fail the deploy itself.
 * @example
 * preflightTargetFromValues('dev', { 'aws:region': 'us-east-2' }).instanceClass; // 'db.t4g.medium'
 */
export function preflightTargetFromValues(stack: string, values: Readonly<Record<string, string>>): PreflightTarget {
  let settings;
  try {
    settings = readStackSettings(valuesConfigSource(values), stack);
  } catch (error) {
    const message = (error as Error).message.split('\n').join('; ');
    if (error instanceof StackConfigError || (error as Error).name === 'ConfigValidationError') {
      throw new PreflightError(`Pulumi.${stack}.yaml: ${message}`, 'input');
    }
    throw error;
  }
  const config = settings.environment;
  const environment = config.environment as EnvironmentName;
  return {
    environment,
    stack,
    region: config.region,
    profileRegion: environmentProfile(environment, config.environmentSuffix).region,
    suffix: config.environmentSuffix,
    engineVersion: config.database.engineVersion,
    instanceClass: config.database.instanceClass,
    instanceCount: config.database.instanceCount,
    memoryMb: config.lambda.memoryMb,
    reservedConcurrency: config.lambda.reservedConcurrency ?? 0,
    networkingStackRef: settings.networkingStackRef,
  };
}

/**
 * {@link preflightTargetFromValues} of a `Pulumi.<stack>.yaml` file.
 *
 * @example
 * preflightTarget('dev', 'apps/tap-stack/Pulumi.dev.yaml').region; // 'us-east-2'
 */
export function preflightTarget(stack: string, file: string): PreflightTarget {
  let values: Record<string, string>;
  try {
    values = readStackConfigFile(file).values;
  } catch (error) {
    throw new PreflightError((error as Error).message, 'input');
  }
  return preflightTargetFromValues(stack, values);
}
