import { ENVIRONMENT_NAMES } from '@tap/validation';
import picomatch from 'picomatch';
import { ManifestError } from '../errors';
import { readTextFile } from '../io';
import { ApprovalInputError } from './errors';
import type { ApprovalRequirement, ApprovalRules } from './types';

/** How many changed files a gate-change requirement lists in `triggeredBy` (`triggeredCount` counts them all). */
export const GATE_TRIGGER_CAP = 20;

/** A repository-relative path as `git diff --name-only` prints it: no leading `/` or `./`, no `..`, no control characters. */
const isRelativePath = (path: string): boolean =>
  !path.startsWith('/') &&
  !/^[A-Za-z]:/.test(path) &&
  !path.includes('\\') &&
  // eslint-disable-next-line no-control-regex
  !/[\u0000-\u001f\u007f]/.test(path) &&
  path.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');

/**
 * Reads a changed-files list: one repository-relative path per line, as `git diff --name-only <base> <head>` prints it
 * (blank lines and trailing spaces ignored).
 *
 * @throws ApprovalInputError (exit 2 in the CLI) when the file is missing or unreadable, lists no path, or has a line
 *   that is no repository-relative path (absolute, `..`, a path git quoted, control characters).
 * @example
 * // git diff --name-only "$BASE_SHA" "$HEAD_SHA" > dist/pr/changed-files.txt
 * readChangedFiles('dist/pr/changed-files.txt'); // ['packages/manifest/src/cli/main.ts', ...]
 */
export function readChangedFiles(file: string): string[] {
  let text: string;
  try {
    text = readTextFile(file);
  } catch (error) {
    if (!(error instanceof ManifestError)) throw error;
    throw new ApprovalInputError(file, error.code === 'not-found' ? 'changed-files file not found (write it with git diff --name-only <base> <head>)' : `changed-files file: ${error.problem}`);
  }
  const paths: string[] = [];
  for (const [i, raw] of text.split('\n').entries()) {
    const path = raw.replace(/\r$/, '').trim();
    if (path === '') continue;
    if (path.startsWith('"')) {
      throw new ApprovalInputError(file, `line ${i + 1}: a quoted path (git quotes unusual names): write the list with git -c core.quotePath=false diff --name-only`);
    }
    if (!isRelativePath(path)) throw new ApprovalInputError(file, `line ${i + 1}: ${JSON.stringify(path)} is not a repository-relative path (as git diff --name-only prints)`);
    paths.push(path);
  }
  if (paths.length === 0) throw new ApprovalInputError(file, 'lists no changed file (expected one path per line, as git diff --name-only prints)');
  return paths;
}

/**
 * The approvals a change to the code that judges needs: one requirement per `gateChange.requires` entry (rule id
 * `gateChange.id`, every environment) when any of `changedFiles` matches a `gateChange.paths` glob; none otherwise.
 *
 * @example
 * gateChangeRequirements(['packages/manifest/src/check.ts'], loadApprovalRules('apps/tap-stack/approval-rules.json'))
 *   .map((r) => `${r.approvals} x ${r.group}`); // ['1 x security', '1 x platform-leads']
 */
export function gateChangeRequirements(changedFiles: readonly string[], rules: ApprovalRules): ApprovalRequirement[] {
  const gate = rules.gateChange;
  if (!gate) return [];
  const isGate = picomatch(gate.paths, { dot: true });
  const hits = [...new Set(changedFiles.filter((file) => isGate(file)))];
  if (hits.length === 0) return [];
  return gate.requires.map((entry) => ({
    rule: gate.id,
    group: entry.group,
    approvals: entry.approvals,
    reason: gate.reason,
    environments: [...ENVIRONMENT_NAMES],
    triggeredBy: hits.slice(0, GATE_TRIGGER_CAP),
    ...(hits.length > GATE_TRIGGER_CAP ? { triggeredCount: hits.length } : {}),
  }));
}
