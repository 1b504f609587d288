import type { EnvironmentName } from '@tap/validation';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { checkPolicyReport, ciRefusals, resolveIdentity, summarizeResourceChanges, type GitIdentityFn } from './audit';
import { collectChanges, computeRequirements, type CurrentSide } from './approvals/requirements';
import { loadApprovalRules } from './approvals/rules';
import { loadGivenApprovals, verifyApprovals } from './approvals/verify';
import { checkManifests } from './check';
import { CiRefusalError, ManifestError } from './errors';
import { defaultHistoryFile, historyLineHash, nextPrevHash, withHistoryLock } from './history/chain';
import { inventoryFileFor, loadInventorySet, serializeInventory } from './inventory';
import { loadManifestSet, readFileBytes, writeFileAtomic } from './io';
import { securityDiffs, securityReport } from './security/report';
import type { SecurityDiff } from './security/types';
import type { ApprovalRecord, ApproveReport, ChangedResources, CheckReport, LoadedInventory, LoadedManifest, PolicyResult, RecordedApprovals } from './types';

/** Options of `approveManifests`. */
export interface ApproveOptions {
  /** Baseline directory (or a single baseline file when `current` is one file). Created when missing. */
  baseline: string;
  /** Current manifest file or directory (`<env>.json` files, or the synth's `<env>/manifest.json`), each with its inventory beside it. */
  current: string;
  /** Why the change is approved (`--reason`). Required. */
  reason: string;
  /** Who approves (`--approver`); default: the git identity. Refused in CI, where `GITHUB_ACTOR` is recorded as the proposer. */
  approver?: string;
  /** The JSON report of `tap-policy check --format json` over the current synth. Required unless `noPolicyCheck`. */
  policyReport?: string;
  /** Approve without a policy report (`--no-policy-check`); recorded as `policy: not checked`. Refused in CI. */
  noPolicyCheck?: boolean;
  /** JSON Lines audit log, a hash chain. Default: `history.jsonl` in the baseline directory. Refused in CI. */
  history?: string;
  /** Clock for the history lines. Default: the system clock. */
  now?: () => Date;
  /** Environment variables (`CI`, `GITHUB_ACTOR`). Default: `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** The git identity for the approver. Default: `git config user.name` / `user.email`. */
  git?: GitIdentityFn;
  /** Approval rules (`--rules`): each history line records the approvals its change needed. */
  rules?: string;
  /** The approvals given (`--approvals`, as `verify-approvals --given`): recorded per requirement, met and by whom. Needs `rules`. Refused in CI. */
  approvals?: string;
}

/**
 * Accepts the current manifests and resource inventories as the new baselines, with an audit record. Refused (nothing
 * written) without a reason, without an approver, without a policy report (unless `noPolicyCheck`), or when the policy
 * report has blocking violations. In CI (`CI` truthy) `approver`, `history`, `approvals` and `noPolicyCheck` are
 * refused, and `GITHUB_ACTOR` is recorded as the `proposer` (the approvals are the pull request's reviews). Only
 * changed or new environments are written (each file atomically): `<env>.json` when the configuration changed,
 * `<env>.resources.json` when the resources changed or were never approved (an old-format baseline). One history line
 * per approved environment, each carrying the `prevHash` of the line before it, is appended BEFORE any baseline moves,
 * so an approval can never happen without its audit record; the history is locked (`<history>.lock`) meanwhile, and
 * a history that changed while the approval was computed is refused.
 *
 * @throws CiRefusalError (exit 2) in CI for each refused option, one line each.
 * @throws ManifestError (exit 2) on bad input: no reason, no approver, a bad manifest, inventory or policy report, a
 *   history that is locked or cannot be read.
 * @throws ApprovalRefusedError (exit 1) when the policy report has mandatory violations.
 * @example
 * const report = approveManifests({
 *   baseline: 'apps/tap-stack/manifests',
 *   current: 'dist/apps/tap-stack/synth',
 *   reason: 'prod error alarm: 3 errors in 5 minutes (INC-1234)',
 *   policyReport: 'dist/apps/tap-stack/policy.json',
 * });
 * report.approved.map((r) => r.environment); // ['prod']
 */
export function approveManifests(options: ApproveOptions): ApproveReport {
  const refused = ciRefusals(
    [
      ...(options.approver !== undefined ? (['--approver'] as const) : []),
      ...(options.history !== undefined ? (['--history'] as const) : []),
      ...(options.approvals !== undefined ? (['--approvals'] as const) : []),
      ...(options.noPolicyCheck ? (['--no-policy-check'] as const) : []),
    ],
    options.env ?? process.env,
  );
  if (refused.length > 0) throw new CiRefusalError(refused);
  const reason = options.reason?.trim() ?? '';
  if (reason === '') throw new ManifestError('bad-argument', '--reason', 'is required: say why this change is approved, e.g. --reason "raise prod memory for the Black Friday load (CHG-42)"');
  if (options.policyReport && options.noPolicyCheck) {
    throw new ManifestError('bad-argument', '--no-policy-check', 'contradicts --policy-report; give one of them');
  }
  if (!options.policyReport && !options.noPolicyCheck) {
    throw new ManifestError('bad-argument', '--policy-report', 'is required: pass the JSON report of `tap-policy check --format json` over the current synth, or --no-policy-check to approve without one (recorded)');
  }
  const identity = resolveIdentity({ flag: options.approver, env: options.env, git: options.git });

  const current = loadManifestSet(options.current);
  const currentInventories = loadInventorySet(current);
  for (const [environment, loaded] of current) {
    if (!currentInventories.has(environment)) {
      throw new ManifestError('no-inventory', inventoryFileFor(loaded.file), `${environment} has no resource inventory beside ${loaded.file}; approve the synth output (dist/apps/tap-stack/synth), which has one`);
    }
  }
  const currentIsFile = !statSync(options.current).isDirectory();
  const baselineExists = existsSync(options.baseline);
  const baselineIsDir = baselineExists ? statSync(options.baseline).isDirectory() : !currentIsFile;
  if (!currentIsFile && !baselineIsDir) {
    throw new ManifestError('bad-argument', options.baseline, 'is a file, but --current is a directory; give a baseline directory');
  }
  const baseline = baselineExists && hasManifests(options.baseline) ? loadManifestSet(options.baseline) : new Map<EnvironmentName, LoadedManifest>();
  const baselineInventories = loadInventorySet(baseline);
  const check = checkManifests(baseline, current, { baseline: baselineInventories, current: currentInventories });
  const historyFile = options.history ?? defaultHistoryFile(baselineIsDir ? options.baseline : dirname(options.baseline));
  // What the approval is computed against; under the lock, a history that moved since is refused.
  const historyBefore = fileDigest(historyFile);
  const time = (options.now ?? (() => new Date()))().toISOString();

  const pending = check.environments.filter(
    (entry) => (entry.status === 'changed' || entry.status === 'added' || entry.resources?.status === 'no-baseline') && current.has(entry.environment),
  );
  const counts = Object.fromEntries(pending.map((e) => [e.environment, Object.keys((currentInventories.get(e.environment) as LoadedInventory).inventory.resources).length]));
  // Judged before anything is written; a report that does not cover what is approved is refused too.
  const policy: PolicyResult = options.policyReport ? checkPolicyReport(options.policyReport, counts) : { result: 'not checked' };
  const security = securityDiffs(securityReport({ baseline, current, inventories: { baseline: baselineInventories, current: currentInventories } }));
  const approvals = recordApprovals(check, { manifests: current, inventories: currentInventories }, options, security);

  const approved: ApprovalRecord[] = [];
  const writes: Array<{ file: string; content: string }> = [];
  for (const entry of pending) {
    const loaded = current.get(entry.environment) as LoadedManifest;
    const inventory = currentInventories.get(entry.environment) as LoadedInventory;
    // Overwrite the file the baseline came from (it may use the `<env>/manifest.json` layout).
    const baselineFile =
      baseline.get(entry.environment)?.file ?? (baselineIsDir ? join(options.baseline, `${entry.environment}.json`) : options.baseline);
    const inventoryFile = baselineInventories.get(entry.environment)?.file ?? inventoryFileFor(baselineFile);
    const resources = entry.resources;
    const resourceCount = Object.keys(inventory.inventory.resources).length;
    // Resources compared (changed or not) are summarised as they are; only a first inventory counts every resource.
    const changedResources: ChangedResources =
      resources && (resources.status === 'changed' || resources.status === 'unchanged')
        ? summarizeResourceChanges(resources.diff)
        : { added: resourceCount, removed: 0, changed: 0, properties: 0, list: [`* ${resourceCount} resources (first approved inventory)`] };
    approved.push({
      time,
      environment: entry.environment,
      oldHash: entry.baselineHash ?? null,
      newHash: loaded.manifest.configHash,
      changedPaths: entry.status === 'added' ? ['*'] : entry.changes.map((change) => change.path),
      baselineFile,
      currentFile: loaded.file,
      ...identity,
      reason,
      oldInventoryHash: resources?.baselineHash ?? null,
      newInventoryHash: inventory.inventory.inventoryHash,
      inventoryFile,
      changedResources,
      policy,
      ...(approvals ? { approvals: approvals(entry.environment) } : {}),
    });
    if (entry.status === 'added' || entry.changes.length > 0) writes.push({ file: baselineFile, content: `${JSON.stringify(loaded.manifest, null, 2)}\n` });
    if (resources?.baselineHash !== inventory.inventory.inventoryHash) writes.push({ file: inventoryFile, content: serializeInventory(inventory.inventory) });
  }
  if (approved.length > 0) {
    withHistoryLock(historyFile, () => {
      if (fileDigest(historyFile) !== historyBefore) {
        throw new ManifestError('locked', historyFile, 'changed while this approval was computed (another approve?); nothing was written, run it again');
      }
      let prevHash = nextPrevHash(historyFile);
      const lines = approved.map((record) => {
        record.prevHash = prevHash;
        const line = JSON.stringify(record);
        prevHash = historyLineHash(JSON.parse(line));
        return `${line}\n`;
      });
      appendFileSync(historyFile, lines.join(''));
      for (const write of writes) {
        mkdirSync(dirname(write.file), { recursive: true });
        writeFileAtomic(write.file, write.content);
      }
    });
  }
  return { check, approved, historyFile };
}

/** SHA-256 of a file's bytes, or '' when it does not exist. */
function fileDigest(file: string): string {
  return existsSync(file) ? createHash('sha256').update(readFileBytes(file)).digest('hex') : '';
}

/** A baseline directory may legitimately be empty (first approval); a baseline file must load. */
function hasManifests(path: string): boolean {
  if (!statSync(path).isDirectory()) return true;
  try {
    loadManifestSet(path);
    return true;
  } catch (error) {
    if (error instanceof ManifestError && error.code === 'no-manifests') return false;
    throw error;
  }
}

/**
 * With `rules`, the approvals each environment's change needed, checked against `approvals` (none given: every
 * requirement recorded as not met yet). Read before anything is written, so a bad file approves nothing.
 */
function recordApprovals(
  check: CheckReport,
  current: CurrentSide,
  options: Pick<ApproveOptions, 'rules' | 'approvals'>,
  security: ReadonlyMap<EnvironmentName, SecurityDiff>,
): ((environment: EnvironmentName) => RecordedApprovals) | undefined {
  if (options.approvals && !options.rules) throw new ManifestError('bad-argument', '--approvals', 'needs --rules (the approval rules the approvals are checked against)');
  if (!options.rules) return undefined;
  const rules = options.rules;
  const report = computeRequirements(collectChanges(check, current), loadApprovalRules(rules), rules, security);
  const result = verifyApprovals(report, options.approvals ? loadGivenApprovals(options.approvals) : []);
  return (environment) => ({
    rules,
    ...(options.approvals ? { given: options.approvals } : {}),
    requirements: result.requirements
      .filter((r) => r.environments.includes(environment))
      .map((r) => ({ rule: r.rule, group: r.group, approvals: r.approvals, approvedBy: r.approvedBy, met: r.met })),
  });
}
