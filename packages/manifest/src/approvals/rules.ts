import { ManifestError } from '../errors';
import { readTextFile } from '../io';
import type { z } from 'zod';
import { ApprovalInputError } from './errors';
import { approvalRulesSchema } from './schema';
import type { EnvironmentName } from '@tap/validation';
import type { SecurityDiff } from '../security/types';
import type { ApprovalRule, ApprovalRules, ChangedItem, CodeReviewOnly, ResourceSelector } from './types';

const escape = (text: string): string => text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');

/** The regular-expression body of a glob (no anchors); see `globToRegExp`. */
function globBody(glob: string): string {
  let body = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      // `**.` also matches nothing, so `**.kmsKeyId` matches `kmsKeyId` as well as `masterUserSecrets[0].kmsKeyId`.
      if (glob[i + 2] === '.') {
        body += '(?:.*\\.)?';
        i += 2;
      } else {
        body += '.*';
        i += 1;
      }
    } else if (c === '*') body += '[^.]*';
    else if (c === '?') body += '[^.]';
    else if (c === '{' && glob.indexOf('}', i) > i) {
      const end = glob.indexOf('}', i);
      body += `(?:${glob
        .slice(i + 1, end)
        .split(',')
        .map(globBody)
        .join('|')})`;
      i = end;
    } else body += escape(c);
  }
  return body;
}

/**
 * A glob as a regular expression: `*` any characters but `.`, `**` anything (`**.` also nothing), `?` one character
 * but `.`, `{a,b}` either; everything else literal (brackets too: `[0]` is an array index).
 *
 * @example
 * globToRegExp('encryption.*').test('encryption.keyRotation'); // true
 * globToRegExp('aws:rds/*').test('aws:rds/cluster:Cluster'); // true
 */
export function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${globBody(glob)}$`);
}

/**
 * A path and every parent of it, outermost first: `policy.Statement[0].Action` -> `policy`, `policy.Statement`,
 * `policy.Statement[0]`, `policy.Statement[0].Action` (a `.` inside `["..."]` does not split).
 *
 * @example
 * pathAndParents('tags["team.name"]'); // ['tags', 'tags["team.name"]']
 */
export function pathAndParents(path: string): string[] {
  const cuts: number[] = [];
  let quoted = false;
  for (let i = 0; i < path.length; i++) {
    const c = path[i];
    if (c === '"' && path[i - 1] !== '\\') quoted = !quoted;
    else if (!quoted && (c === '.' || c === '[') && i > 0) cuts.push(i);
  }
  return [...cuts.map((cut) => path.slice(0, cut)), path];
}

const matchesPath = (globs: readonly string[], path: string): boolean => {
  const candidates = pathAndParents(path);
  return globs.some((glob) => {
    const re = globToRegExp(glob);
    return candidates.some((candidate) => re.test(candidate));
  });
};

function matchesSelector(selector: ResourceSelector, item: Extract<ChangedItem, { kind: 'resource' }>): boolean {
  if (!globToRegExp(selector.type).test(item.type)) return false;
  if (selector.name && !globToRegExp(selector.name).test(item.name)) return false;
  if (selector.changes && !selector.changes.includes(item.change)) return false;
  if (!selector.properties) return true;
  return item.property !== undefined && matchesPath(selector.properties, item.property);
}

/**
 * Whether a rule's or an exemption's `match` selects `item`.
 *
 * @example
 * matches({ config: ['encryption.*'] }, { kind: 'config', environment: 'prod', path: 'encryption.keyRotation', change: 'changed' }); // true
 */
export function matches(match: { config?: string[]; resources?: ResourceSelector[] }, item: ChangedItem): boolean {
  if (item.kind === 'config') return matchesPath(match.config ?? [], item.path);
  return (match.resources ?? []).some((selector) => matchesSelector(selector, item));
}

/** The repository of an image reference: without its `@sha256:` digest and its `:tag`. */
function imageRepository(value: unknown): string | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  const withoutDigest = value.replace(/@sha256:.*$/, '');
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  return colon > lastSlash ? withoutDigest.slice(0, colon) : withoutDigest;
}

/**
 * Whether a `codeReviewOnly` entry exempts `item`: it must match, and with `when: "image-tag"` it must be a change of an
 * image reference within the same repository (a tag or digest move, not a new image source).
 *
 * @example
 * isExempt(entry, { kind: 'config', environment: 'prod', path: 'docker.imageUri', change: 'changed', before: 'r/p:1', after: 'r/p:2' }); // true
 */
export function isExempt(entry: CodeReviewOnly, item: ChangedItem): boolean {
  if (!matches(entry.match, item)) return false;
  if (entry.when === 'any') return true;
  if (item.change !== 'changed') return false;
  const before = imageRepository(item.before);
  return before !== undefined && before === imageRepository(item.after);
}

/**
 * Whether a rule's `when` lets a matched `item` trigger it. `broadening`: a resource change counts only when the
 * security diff of its environment has a broadening row for that resource; a configuration path, or an environment
 * without a security diff (not judged), always counts — the rule fails closed.
 *
 * @example
 * triggers(rule, item, new Map([['dev', securityDiff(before, after)]])); // false: dev's change only narrows
 */
export function triggers(rule: Pick<ApprovalRule, 'when'>, item: ChangedItem, security?: ReadonlyMap<EnvironmentName, SecurityDiff>): boolean {
  if (rule.when !== 'broadening' || item.kind === 'config') return true;
  const diff = security?.get(item.environment);
  if (!diff) return true;
  return diff.rows.some((row) => row.urn === item.urn && row.classification === 'broadening');
}

function issuesOf(error: z.ZodError): string[] {
  return error.issues.slice(0, 5).map((issue) => `${issue.path.length ? issue.path.join('.') : '(root)'}: ${issue.message}`);
}

/**
 * Validates the content of a rules file.
 *
 * @throws ApprovalInputError naming `source` and the first problems (exit 2 in the CLI).
 * @example
 * const rules = parseApprovalRules(JSON.parse(text), 'apps/tap-stack/approval-rules.json');
 */
export function parseApprovalRules(value: unknown, source = 'approval rules'): ApprovalRules {
  const parsed = approvalRulesSchema.safeParse(value);
  if (!parsed.success) {
    const issues = issuesOf(parsed.error);
    throw new ApprovalInputError(source, `not a valid approval rules file: ${issues.join('; ')} (see approval-rules.schema.json)`, issues);
  }
  return parsed.data;
}

/**
 * Reads a JSON file for the approval commands.
 *
 * @throws ApprovalInputError when the file is missing, unreadable or not JSON.
 * @example
 * const value = readJsonFile('approvals.json', 'given approvals');
 */
export function readJsonFile(file: string, what: string): unknown {
  let text: string;
  try {
    text = readTextFile(file);
  } catch (error) {
    if (!(error instanceof ManifestError)) throw error;
    throw new ApprovalInputError(file, error.code === 'not-found' ? `${what} file not found` : `${what} file: ${error.problem}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ApprovalInputError(file, `${what} file is not valid JSON (${(error as Error).message})`);
  }
}

/**
 * Reads and validates a rules file.
 *
 * @throws ApprovalInputError when it is missing, not JSON, or not the rules shape.
 * @example
 * const rules = loadApprovalRules('apps/tap-stack/approval-rules.json');
 */
export function loadApprovalRules(file: string): ApprovalRules {
  return parseApprovalRules(readJsonFile(file, 'approval rules'), file);
}
