import * as pulumi from '@pulumi/pulumi';
import type { EnvironmentConfig } from '@tap/validation';
import { createConfigManifest } from './manifest';
import type { ConfigManifest } from './types';

/** Extras of `createConfigManifestOutput`: like `ManifestExtras`, but the image may still be an Output. */
export interface ConfigManifestOutputExtras {
  /** The deployed image URI, usually the Lambda component's `imageUri` output. */
  imageUri: pulumi.Input<string>;
  /** ISO 8601 timestamp. Default: now. Fix it for reproducible synth output. */
  timestamp?: string;
}

/**
 * `createConfigManifest` for a stack: resolves the image URI Output, then builds the manifest. Export the result
 * as a stack output. During a preview with an unknown image the manifest stays unknown.
 *
 * @example
 * export const configManifest = createConfigManifestOutput(config, { imageUri: lambda.imageUri });
 */
export function createConfigManifestOutput(
  config: EnvironmentConfig,
  extras: ConfigManifestOutputExtras,
): pulumi.Output<ConfigManifest> {
  const timestamp = extras.timestamp ?? new Date().toISOString();
  return pulumi.output(extras.imageUri).apply((imageUri) => createConfigManifest(config, { imageUri, timestamp }));
}
