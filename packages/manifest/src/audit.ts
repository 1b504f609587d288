import { ENVIRONMENT_NAMES, type EnvironmentName } from '@tap/validation';
import { execFileSync } from 'node:child_process';
import { z } from 'zod';
import { ApprovalRefusedError, ManifestError } from './errors';
import { readFileBytes, readTextFile } from './io';
import { shortUrn } from './resourceDiff';
import type { ApprovalRecord, Approver, ChainStartRecord, ChangedResources, HistoryLine, HistoryRecord, InventoryDiff, PolicyResult } from './types';

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
 * Whether `env` is a CI run: `CI` set and not `''`, `0` or `false` (any case).
 *
 * @example
 * isCi({ CI: 'true' }); // true
 * isCi({ CI: '' }); // false
 */
export function isCi(env: NodeJS.ProcessEnv = process.env): boolean {
  return truthy(env['CI']);
}

/**
 * Who approves, outside CI: `--approver` (`Name <email>` or a plain name), else the git identity (`git config
 * user.name` / `user.email`). `GITHUB_ACTOR` is never an approver. In CI nobody is: the approvals of a change are the
 * pull request's reviews, recorded from GitHub by the deploy (see {@link resolveIdentity}).
 *
 * @throws ManifestError (`approver`) when nobody can be named, or in CI.
 * @example
 * resolveApprover({ flag: 'Jane Doe <jane@example.com>', env: {} }); // { name: 'Jane Doe', email: 'jane@example.com', source: 'flag' }
 */
export function resolveApprover(sources: ApproverSources = {}): Approver {
  const env = sources.env ?? process.env;
  if (isCi(env)) {
    throw new ManifestError('approver', 'CI', "no approver is recorded in CI: the approvals are the pull request's reviews, recorded from GitHub by the deploy");
  }
  const flag = sources.flag?.trim();
  if (flag !== undefined) {
    if (flag === '') throw new ManifestError('approver', '--approver', 'is empty; give a name, e.g. --approver "Jane Doe <jane@example.com>"');
    const match = /^(.*?)\s*<([^<>\s]+@[^<>\s]+)>$/.exec(flag);
    return match && match[1] ? { name: match[1], email: match[2], source: 'flag' } : { name: flag, source: 'flag' };
  }
  const git = (sources.git ?? gitIdentity)();
  if (git.name || git.email) return { name: git.name ?? (git.email as string), ...(git.email ? { email: git.email } : {}), source: 'git' };
  throw new ManifestError('approver', '--approver', 'nobody to record as approver (no --approver, no git config user.name/user.email); pass --approver "<name>"');
}

/**
 * Who an approval records. Outside CI: the approver ({@link resolveApprover}). In CI: the proposer, `GITHUB_ACTOR`
 * with source `ci` (the approvals themselves are the pull request's reviews, recorded from GitHub by the deploy).
 *
 * @throws ManifestError (`approver`) in CI without `GITHUB_ACTOR` (the git identity would be the runner's), or when
 *   nobody can be named outside CI.
 * @example
 * resolveIdentity({ env: { CI: 'true', GITHUB_ACTOR: 'octocat' } }); // { proposer: { name: 'octocat', source: 'ci' } }
 */
export function resolveIdentity(sources: ApproverSources = {}): { approver?: Approver; proposer?: Approver } {
  const env = sources.env ?? process.env;
  if (!isCi(env)) return { approver: resolveApprover(sources) };
  const actor = env['GITHUB_ACTOR']?.trim();
  if (!actor) {
    throw new ManifestError('approver', 'CI', 'running in CI without GITHUB_ACTOR, so nobody can be recorded as the proposer (the git identity would be the runner, not a person)');
  }
  return { proposer: { name: actor, source: 'ci' } };
}

/**
 * The flags `approve` refuses in CI, each with the one line that says why: in CI the identity and the approvals come
 * from GitHub, the history sits beside the baselines and every approval is judged by the policies.
 */
export const CI_REFUSED_FLAGS = {
  '--approver': "the approver is the pull request's author, recorded from GitHub, not a flag",
  '--history': 'the history is history.jsonl beside the baselines, not a flag',
  '--approvals': "the approvals are the pull request's reviews, recorded from GitHub by the deploy, not a file",
  '--policy-cli': "the policies are the workspace's own @tap/policy build, not a flag",
  '--no-policy-check': 'every approval in CI is judged by the tap-security policies',
} as const;

/**
 * The refusal lines (`--approver is refused in CI: ...`) for the `flags` given, when `env` is a CI run; empty otherwise.
 *
 * @example
 * ciRefusals(['--approver'], { CI: 'true' }); // ["--approver is refused in CI: the approver is the pull request's author, recorded from GitHub, not a flag"]
 */
export function ciRefusals(flags: ReadonlyArray<keyof typeof CI_REFUSED_FLAGS>, env: NodeJS.ProcessEnv = process.env): string[] {
  if (!isCi(env)) return [];
  return (Object.keys(CI_REFUSED_FLAGS) as Array<keyof typeof CI_REFUSED_FLAGS>).filter((flag) => flags.includes(flag)).map((flag) => `${flag} is refused in CI: ${CI_REFUSED_FLAGS[flag]}`);
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
    value = JSON.parse(readTextFile(file));
  } catch (error) {
    const problem = error instanceof ManifestError ? error.problem : `invalid JSON (${(error as Error).message})`;
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
const approverSchema = z.object({ name: z.string().min(1), email: z.string().optional(), source: z.enum(['flag', 'ci', 'git']) }).strict();

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
    approver: approverSchema.optional(),
    proposer: approverSchema.optional(),
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
    prevHash: hash.nullable().optional(),
  })
  .strict();

/** The line that starts the hash chain (`tap-drift audit start-chain`). */
const chainStartSchema = z
  .object({
    kind: z.literal('chain-start'),
    time: z.string().datetime({ offset: true }),
    legacyLines: z.number().int().nonnegative(),
    legacySha256: hash,
    prevHash: hash.nullable(),
    reason: z.string().min(1),
    baselines: z.record(z.enum(ENVIRONMENT_NAMES), z.object({ configHash: hash, inventoryHash: hash.optional() }).strict()),
  })
  .strict();

/** A knowing revert of out-of-band changes by a deploy (`tap-deploy --revert-drift --reason`). */
const revertDriftSchema = z
  .object({
    kind: z.literal('revert-drift'),
    time: z.string().datetime({ offset: true }),
    environment: z.enum(ENVIRONMENT_NAMES),
    reason: z.string().trim().min(1),
    approver: approverSchema.optional(),
    proposer: approverSchema.optional(),
    resources: z.array(z.object({ urn: z.string().min(1), type: z.string().min(1), properties: z.array(z.string()) }).strict()).min(1),
    prevHash: hash.nullable(),
  })
  .strict()
  .refine((record) => record.approver !== undefined || record.proposer !== undefined, { message: 'names nobody (approver or proposer)', path: ['approver'] });

/** The schema of a line with a `kind`, and how a refusal names it. */
const KINDED_LINES: Record<string, { schema: z.ZodTypeAny; what: string }> = {
  'chain-start': { schema: chainStartSchema, what: 'a chain-start line' },
  'revert-drift': { schema: revertDriftSchema, what: 'a revert-drift record' },
};

/**
 * Reads every line of a history (JSON Lines): approvals from before audited approvals (no approver, reason, policy),
 * audited and chained ones, and the chain-start line; each with its line number, byte offset and raw parsed value (what
 * the next line's `prevHash` hashes). Blank lines are skipped (and counted).
 *
 * @throws ManifestError naming `file:line` for a line that is neither an approval record nor a chain-start.
 * @example
 * readHistory('apps/tap-stack/manifests/history.jsonl').find((l) => 'kind' in l.record)?.line; // 31
 */
export function readHistory(file: string): HistoryLine[] {
  // One-line errors for a missing, unreadable, non-regular or oversized file.
  const bytes = readFileBytes(file);
  const lines: HistoryLine[] = [];
  let offset = 0;
  let number = 0;
  while (offset < bytes.length) {
    const end = bytes.indexOf(0x0a, offset);
    const stop = end === -1 ? bytes.length : end;
    const text = bytes.subarray(offset, stop).toString('utf8');
    number += 1;
    if (text.trim() !== '') {
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        throw new ManifestError('invalid-json', `${file}:${number}`, `invalid JSON (${(error as Error).message})`);
      }
      const kind = typeof value === 'object' && value !== null && 'kind' in value ? String((value as { kind: unknown }).kind) : undefined;
      // An unknown kind is read as a chain-start, so the refusal names what a kinded line may be.
      const { schema, what } = kind === undefined ? { schema: approvalRecordSchema, what: 'an approval record' } : (KINDED_LINES[kind] ?? KINDED_LINES['chain-start']);
      const parsed = schema.safeParse(value);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new ManifestError('schema', `${file}:${number}`, `not ${what} (${issue.path.join('.') || '(root)'}: ${issue.message})`);
      }
      lines.push({ line: number, offset, record: parsed.data as HistoryRecord, value });
    }
    offset = stop + 1;
  }
  return lines;
}

/**
 * Whether a history line is the chain-start rather than an approval.
 *
 * @example
 * readHistory(file).filter((l) => !isChainStart(l.record)).length; // the approvals
 */
export function isChainStart(record: HistoryRecord): record is ChainStartRecord {
  return 'kind' in record && record.kind === 'chain-start';
}

/**
 * Whether a history line is an approval (neither the chain-start nor a revert-drift record).
 *
 * @example
 * readHistory(file).filter((l) => isApproval(l.record)).length; // the approvals
 */
export function isApproval(record: HistoryRecord): record is ApprovalRecord {
  return !('kind' in record);
}

/**
 * Reads the approvals of a history (JSON Lines): lines from before audited approvals (no approver, reason, policy) and
 * audited lines alike; the chain-start and revert-drift lines are not approvals and are left out. Blank lines are skipped.
 *
 * @throws ManifestError naming `file:line` for a line that is not an approval record.
 * @example
 * readApprovalHistory('apps/tap-stack/manifests/history.jsonl').filter((r) => r.reason === undefined); // the old lines
 */
export function readApprovalHistory(file: string): ApprovalRecord[] {
  return readHistory(file)
    .map((l) => l.record)
    .filter(isApproval);
}
