// The TapStack Pulumi program: `pulumi up --stack <env>` (through `nx run tap-stack:deploy --configuration=<env>`)
// and the offline synth both run this module. Its exports are the stack outputs.
import * as pulumi from '@pulumi/pulumi';
import { defaultRotationCodeDir } from '@tap/components';
import { ConfigValidationError } from '@tap/validation';
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { pulumiConfigSource, readStackSettings, type StackSettings } from './config';
import { StackConfigError } from './errors';
import { TapStack } from './tapStack';

/** The workspace root (the folder with nx.json): the image context lives under it wherever the program runs from. */
function workspaceRoot(): string {
  for (let dir = resolve(__dirname); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    if (dirname(dir) === dir) return process.cwd();
  }
}

/** SOURCE_DATE_EPOCH (reproducible builds) fixes the manifest's clock; the offline synth sets it. */
function manifestTimestamp(): string | undefined {
  const epoch = process.env['SOURCE_DATE_EPOCH'];
  return epoch !== undefined && /^\d+$/.test(epoch) ? new Date(Number(epoch) * 1000).toISOString() : undefined;
}

let settings: StackSettings;
try {
  // Validation runs before any resource is registered: a bad config touches nothing.
  settings = readStackSettings(pulumiConfigSource, pulumi.getStack());
} catch (err) {
  // RunError: Pulumi prints the message alone, without a stack trace. A StackConfigError already names its fix.
  if (err instanceof StackConfigError) throw new pulumi.RunError(err.message);
  if (err instanceof ConfigValidationError) {
    throw new pulumi.RunError(`${err.message}\nFix Pulumi.${pulumi.getStack()}.yaml (keys TapStack:<name>, aws:region) and retry.`);
  }
  throw err;
}

// Paths in resource inputs are relative to the Pulumi project directory, where `pulumi` (and the offline synth) runs: an
// absolute path changes with the checkout's location, so a deploy from another path would rebuild and push the image.
const fromProjectDir = (path: string): string => relative(process.cwd(), resolve(workspaceRoot(), path)) || '.';

const stack = new TapStack('tap', {
  config: settings.environment,
  networkingStackRef: settings.networkingStackRef,
  imageBuildContext: fromProjectDir(settings.imageBuildContext),
  rotationCode: new pulumi.asset.FileArchive(fromProjectDir(defaultRotationCodeDir())),
  alarmEmail: settings.alarmEmail,
  manifestTimestamp: manifestTimestamp(),
});

export const databaseEndpoint = stack.databaseEndpoint;
export const lambdaFunctionArn = stack.lambdaFunctionArn;
export const secretArn = stack.secretArn;
export const configManifest = stack.configManifest;
export const configHash = stack.configHash;
export const environmentName = settings.environment.environment;
export const environmentSuffixOutput = settings.environment.environmentSuffix;
