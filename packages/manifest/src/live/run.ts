import { spawnSync } from 'node:child_process';
import { CONFIG_MANIFEST_OUTPUT, PULUMI_EXIT_CHANGES } from '../constants';
import { LiveDriftError, ManifestError } from '../errors';
import { loadManifest } from '../io';
import { compareDeployed } from './deployed';
import { applyIgnoreRules, loadIgnoreRules } from './ignore';
import { emptyPreview, parseRefreshPreview } from './refresh';
import { buildLiveReport } from './report';
import type { DeployedComparison, IgnoreRule, LiveDriftReport, RefreshPreview } from './types';

/** What a finished child process gave back (the subset of `spawnSync`'s result used here). */
export interface SpawnResult {
  status: number | null;
  stdout: string;
  stderr: string;
  error?: Error;
}

/** Runs `command args` in `cwd` and waits; injectable so tests need no Pulumi CLI. */
export type SpawnFn = (command: string, args: readonly string[], options: { cwd: string }) => SpawnResult;

export const spawnPulumi: SpawnFn = (command, args, options) => {
  const run = spawnSync(command, [...args], {
    cwd: options.cwd,
    encoding: 'utf8',
    // A refresh of a large stack prints a large document.
    maxBuffer: 512 * 1024 * 1024,
    env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: 'true' },
  });
  return { status: run.status, stdout: run.stdout ?? '', stderr: run.stderr ?? '', error: run.error };
};

/** Options of {@link runLiveDrift} (the `tap-drift live` flags). */
export interface LiveDriftOptions {
  /** Pulumi stack name, e.g. `dev`. */
  stack: string;
  /** The Pulumi project folder (where Pulumi.yaml is). */
  cwd: string;
  /** The offline synth manifest of the current code, e.g. `dist/apps/tap-stack/synth/dev/manifest.json`. */
  code: string;
  /** Ignore file; none: nothing is ignored. */
  ignore?: string;
  /** The Pulumi executable. Default `pulumi` (from PATH). */
  pulumi?: string;
  spawn?: SpawnFn;
}

const firstLine = (text: string): string | undefined =>
  text
    .split('\n')
    .map((line) => line.trim())
    .find((line) => line.length > 0);

function run(options: LiveDriftOptions, args: string[]): SpawnResult {
  const pulumi = options.pulumi ?? 'pulumi';
  const result = (options.spawn ?? spawnPulumi)(pulumi, args, { cwd: options.cwd });
  if (result.error) {
    const code = (result.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new LiveDriftError(
        'pulumi-missing',
        pulumi,
        `the Pulumi CLI was not found (looked for "${pulumi}" on PATH from ${options.cwd}): install it (https://www.pulumi.com/docs/install/) and put it on PATH, or pass --pulumi <path>`,
      );
    }
    throw new LiveDriftError('pulumi-missing', pulumi, `could not start the Pulumi CLI (${code ?? result.error.message})`);
  }
  return result;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Refresh exit codes: 0 no changes, 7 changes; older CLIs exit 255 for both changes and failures, so read the JSON. */
function refresh(options: LiveDriftOptions): RefreshPreview {
  const args = ['refresh', '--preview-only', '--expect-no-changes', '--json', '--non-interactive', '--stack', options.stack];
  const result = run(options, args);
  const source = `pulumi refresh --stack ${options.stack}`;
  const document = result.stdout.trim() === '' && result.status === 0 ? {} : parseJson(result.stdout);
  const usable =
    typeof document === 'object' && document !== null && (result.status === 0 || result.status === PULUMI_EXIT_CHANGES || 'steps' in document || 'diagnostics' in document);
  if (!usable) {
    const reason = firstLine(result.stderr) ?? (document === undefined ? 'no JSON document on stdout' : 'no steps or diagnostics in the output');
    throw new LiveDriftError('refresh-output', source, `exited ${result.status ?? 'by signal'}: ${reason}`);
  }
  const preview = parseRefreshPreview(document, source);
  if (result.status !== 0 && result.status !== PULUMI_EXIT_CHANGES && preview.resources.length === 0 && preview.errors.length === 0) {
    // A failed run that explains nothing in its JSON: stderr has the reason.
    preview.errors.push(`${source} exited ${result.status ?? 'by signal'}: ${firstLine(result.stderr) ?? 'no reason given'}`);
  }
  return preview;
}

/** `undefined` when the stack has no configManifest output. */
function deployedManifest(options: LiveDriftOptions): unknown {
  const args = ['stack', 'output', CONFIG_MANIFEST_OUTPUT, '--json', '--non-interactive', '--stack', options.stack];
  const result = run(options, args);
  const source = `pulumi stack output ${CONFIG_MANIFEST_OUTPUT} --stack ${options.stack}`;
  if (result.status !== 0) {
    if (/does not have (an )?output/i.test(result.stderr)) return undefined;
    throw new LiveDriftError('stack-output', source, `exited ${result.status ?? 'by signal'}: ${firstLine(result.stderr) ?? 'no reason given'}`);
  }
  const value = parseJson(result.stdout);
  if (value === undefined) throw new LiveDriftError('stack-output', source, 'did not print JSON');
  // Some CLIs print an object output as a JSON string.
  return typeof value === 'string' && value.trim().startsWith('{') ? (parseJson(value) ?? value) : value;
}

function loadCode(file: string) {
  try {
    return loadManifest(file);
  } catch (error) {
    if (error instanceof ManifestError && error.code === 'not-found') {
      throw new LiveDriftError('code-manifest', file, 'code manifest not found; run the offline synth first ("npx nx run tap-stack:synth")');
    }
    throw error;
  }
}

/**
 * Live drift of one stack: `pulumi refresh --preview-only` (cloud vs state, ignore rules applied) and the deployed
 * `configManifest` output against the offline synth of the code. Pulumi failures become report errors (exit 2);
 * bad arguments (missing code manifest, bad ignore file, no Pulumi CLI) throw before or instead of a report.
 *
 * @throws LiveDriftError / ManifestError on bad input or a missing Pulumi CLI.
 * @example
 * const report = runLiveDrift({ stack: 'dev', cwd: 'apps/tap-stack', code: 'dist/apps/tap-stack/synth/dev/manifest.json' });
 */
export function runLiveDrift(options: LiveDriftOptions): LiveDriftReport {
  // Bad input is refused before Pulumi is asked anything.
  const code = loadCode(options.code);
  const rules: IgnoreRule[] = options.ignore ? loadIgnoreRules(options.ignore) : [];
  const errors: string[] = [];
  let cloud: RefreshPreview = emptyPreview();
  try {
    cloud = applyIgnoreRules(refresh(options), rules);
  } catch (error) {
    if (!(error instanceof LiveDriftError) || error.code === 'pulumi-missing') throw error;
    errors.push(error.message);
  }
  let deployed: DeployedComparison | undefined;
  try {
    deployed = compareDeployed(deployedManifest(options), code);
  } catch (error) {
    if (!(error instanceof LiveDriftError) || error.code === 'pulumi-missing') throw error;
    errors.push(error.message);
  }
  return buildLiveReport({ environment: code.manifest.environment, stack: options.stack, cloud, deployed, errors });
}
