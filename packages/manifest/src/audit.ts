import { ENVIRONMENT_NAMES, type EnvironmentName } from '@tap/validation';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ApprovalRefusedError, ManifestError } from './errors';
import { readTextFile } from './io';
import { shortUrn } from './resourceDiff';
import type { ApprovalRecord, Approver, ChangedResources, InventoryDiff, PolicyResult } from './types';

/** How many entries `ChangedResources.list` keeps; the counts are always complete. */
const CHANGED_RESOURCES_CAP = 100;
/** How many property paths one `~` entry names. */
const PATHS_PER_RESOURCE_CAP = 10;

/** The git identity (`git config user.name` / `user.email`); empty fields when unset. */
export type GitIdentityFn = () => { name?: string; email?: string };

/** Reads `git config user.name` and `user.email` in the current directory; unset (or no git) gives empty fields. */
export const gitIdentity: GitIdentityFn = () => {
  const read = (key: string): string | undefined => {
    try {
      return execFileSync('git', ['config', key], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined;
    } catch {
      return undefined;
    }
  };
  return { name: read('user.name'), email: read('user.email') };
};

/** Where `resolveApprover` looks. */
export interface ApproverSources {
  /** `--approver`, e.g. `Jane Doe <jane@example.com>` or `jdoe`. */
  flag?: string;
  /** Environment variables. Default: `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Default: `gitIdentity`. */
  git?: GitIdentityFn;
}

const truthy = (value: string | undefined): boolean => value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';

/**
 * Who approves, in this order: `--approver` (`Name <email>` or a plain name), the CI actor (`GITHUB_ACTOR`), the git
 * identity (`git config user.name` / `user.email`). In CI (`CI` set) without `GITHUB_ACTOR` the git identity is the
 * runner's, not a person's, so it is refused: pass `--approver`.
 *
 * @throws ManifestError (`approver`) when nobody can be named.
 * @example
 * resolveApprover({ flag: 'Jane Doe <jane@example.com>' }); // { name: 'Jane Doe', email: 'jane@example.com', source: 'flag' }
 */
export function resolveApprover(sources: ApproverSources = {}): Approver {
  const env = sources.env ?? process.env;
  const flag = sources.flag?.trim();
  if (flag !== undefined) {
    if (flag === '') throw new ManifestError('approver', '--approver', 'is empty; give a name, e.g. --approver "Jane Doe <jane@example.com>"');
    const match = /^(.*?)\s*<([^<>\s]+@[^<>\s]+)>$/.exec(flag);
    return match && match[1] ? { name: match[1], email: match[2], source: 'flag' } : { name: flag, source: 'flag' };
  }
  const actor = env['GITHUB_ACTOR']?.trim();
  if (actor) return { name: actor, source: 'ci' };
  if (truthy(env['CI'])) {
    throw new ManifestError('approver', 'CI', 'running in CI without GITHUB_ACTOR, so the git identity would be the runner, not a person; pass --approver "<name>"');
  }
  const git = (sources.git ?? gitIdentity)();
  if (git.name || git.email) return { name: git.name ?? (git.email as string), ...(git.email ? { email: git.email } : {}), source: 'git' };
  throw new ManifestError('approver', '--approver', 'nobody to record as approver (no --approver, no GITHUB_ACTOR, no git config user.name/user.email); pass --approver "<name>"');
}

const violationSchema = z
  .object({
    policyName: z.string(),
    enforcementLevel: z.string(),
    message: z.string(),
    resourceName: z.string().optional(),
    resourceType: z.string().optional(),
    urn: z.string().optional(),
  })
  .passthrough();

/** The JSON report of `tap-policy check --format json` (packages/policy/src/report.ts), read without importing it. */
const policyReportSchema = z
  .object({
    ok: z.boolean(),
    policyCount: z.number().int().nonnegative(),
    files: z.array(
      z
        .object({
          file: z.string(),
          stackName: z.string(),
          environment: z.string(),
          resourceCount: z.number().int().nonnegative(),
          violations: z.array(violationSchema),
        })
        .passthrough(),
    ),
  })
  .passthrough();
type PolicyReport = z.infer<typeof policyReportSchema>;

/** The enforcement levels that fail `tap-policy check` (exit 1), as its `blockingViolations` counts them. */
const BLOCKING_LEVELS = ['mandatory', 'remediate'];

/**
 * Reads a `tap-policy check --format json` report and judges it for an approval of `environments`, whose current
 * inventories hold `resourceCounts` resources.
 *
 * @throws ManifestError (`policy-report`, exit 2) when the file is missing, not a tap-policy report, does not cover an
 *   environment being approved, or was made from another synth (a different resource count).
 * @throws ApprovalRefusedError (exit 1) when the report has blocking (mandatory) violations, each listed.
 * @example
 * checkPolicyReport('dist/apps/tap-stack/policy.json', { prod: 57 }); // { result: 'passed', report: ..., violations: 0, policies: 28 }
 */
export function checkPolicyReport(file: string, resourceCounts: Partial<Record<EnvironmentName, number>>): PolicyResult {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const problem = code === 'ENOENT' ? 'file not found' : code ? `cannot read file (${code})` : `invalid JSON (${(error as Error).message})`;
    throw new ManifestError('policy-report', file, `${problem}; write it with tap-policy check <resources.json>... --format json`);
  }
  const parsed = policyReportSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ManifestError('policy-report', file, `not a tap-policy JSON report (${issue.path.join('.') || '(root)'}: ${issue.message}); write it with tap-policy check --format json`);
  }
  const report: PolicyReport = parsed.data;
  const blocking = report.files.flatMap((f) =>
    f.violations
      .filter((v) => BLOCKING_LEVELS.includes(v.enforcementLevel))
      .map((v) => `${f.environment}: ${v.policyName} on ${v.resourceName ? `${v.resourceType?.split(':').pop() ?? 'resource'} '${v.resourceName}'` : `stack ${f.stackName}`}: ${v.message}`),
  );
  if (blocking.length > 0) throw new ApprovalRefusedError(file, blocking);
  if (!report.ok) throw new ApprovalRefusedError(file, ['the report says ok: false']);
  for (const [environment, count] of Object.entries(resourceCounts)) {
    const entries = report.files.filter((f) => f.environment === environment);
    if (entries.length === 0) {
      throw new ManifestError('policy-report', file, `does not cover ${environment}, which is being approved; run tap-policy check over every environment's resources.json`);
    }
    if (!entries.some((f) => f.resourceCount === count)) {
      throw new ManifestError(
        'policy-report',
        file,
        `was made from another synth of ${environment} (${entries.map((f) => f.resourceCount).join('/')} resources, the current synth has ${count}); run tap-policy check again`,
      );
    }
  }
  return { result: 'passed', report: file, violations: report.files.reduce((n, f) => n + f.violations.length, 0), policies: report.policyCount };
}

/**
 * The resources an approval accepts, for the history: counts and `+ name (type)` / `- ...` / `~ ...: paths` entries.
 *
 * @example
 * summarizeResourceChanges(diffInventories(approved, current)).list; // ['~ tap-monitoring-lambda-errors (aws:cloudwatch/metricAlarm:MetricAlarm): period']
 */
export function summarizeResourceChanges(diff: InventoryDiff): ChangedResources {
  const list: string[] = [];
  for (const component of diff.components) {
    for (const r of component.resources) {
      const label = shortUrn(r.urn);
      if (r.kind === 'added') list.push(`+ ${label}`);
      else if (r.kind === 'removed') list.push(`- ${label}`);
      else {
        const paths = r.properties.map((p) => p.path);
        const shown = paths.slice(0, PATHS_PER_RESOURCE_CAP).join(', ');
        list.push(`~ ${label}: ${shown}${paths.length > PATHS_PER_RESOURCE_CAP ? `, …and ${paths.length - PATHS_PER_RESOURCE_CAP} more` : ''}`);
      }
    }
  }
  return {
    ...diff.counts,
    list: list.slice(0, CHANGED_RESOURCES_CAP),
    ...(list.length > CHANGED_RESOURCES_CAP ? { truncated: list.length - CHANGED_RESOURCES_CAP } : {}),
  };
}

const hash = z.string().regex(/^[0-9a-f]{64}$/);

/** One history line: the fields every line has, and the audit fields lines written since then have. */
const approvalRecordSchema = z
  .object({
    time: z.string().datetime({ offset: true }),
    environment: z.enum(ENVIRONMENT_NAMES),
    oldHash: hash.nullable(),
    newHash: hash,
    changedPaths: z.array(z.string()),
    baselineFile: z.string(),
    currentFile: z.string(),
    approver: z.object({ name: z.string().min(1), email: z.string().optional(), source: z.enum(['flag', 'ci', 'git']) }).strict().optional(),
    reason: z.string().min(1).optional(),
    oldInventoryHash: hash.nullable().optional(),
    newInventoryHash: hash.optional(),
    inventoryFile: z.string().optional(),
    changedResources: z
      .object({
        added: z.number().int().nonnegative(),
        removed: z.number().int().nonnegative(),
        changed: z.number().int().nonnegative(),
        properties: z.number().int().nonnegative(),
        list: z.array(z.string()),
        truncated: z.number().int().positive().optional(),
      })
      .strict()
      .optional(),
    policy: z
      .object({
        result: z.enum(['passed', 'not checked']),
        report: z.string().optional(),
        violations: z.number().int().nonnegative().optional(),
        policies: z.number().int().nonnegative().optional(),
      })
      .strict()
      .optional(),
    approvals: z
      .object({
        rules: z.string().min(1),
        given: z.string().min(1).optional(),
        requirements: z.array(
          z
            .object({ rule: z.string().min(1), group: z.string().min(1), approvals: z.number().int().positive(), approvedBy: z.array(z.string()), met: z.boolean() })
            .strict(),
        ),
      })
      .strict()
      .optional(),
  })
  .strict();

/**
 * Reads an approval history (JSON Lines): lines from before audited approvals (no approver, reason, policy) and
 * audited lines alike. Blank lines are skipped.
 *
 * @throws ManifestError naming `file:line` for a line that is not an approval record.
 * @example
 * readApprovalHistory('apps/tap-stack/manifests/history.jsonl').filter((r) => r.reason === undefined); // the old lines
 */
export function readApprovalHistory(file: string): ApprovalRecord[] {
  const text = readTextFile(file);
  const records: ApprovalRecord[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new ManifestError('invalid-json', `${file}:${index + 1}`, `invalid JSON (${(error as Error).message})`);
    }
    const parsed = approvalRecordSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ManifestError('schema', `${file}:${index + 1}`, `not an approval record (${issue.path.join('.') || '(root)'}: ${issue.message})`);
    }
    records.push(parsed.data as ApprovalRecord);
  });
  return records;
}
