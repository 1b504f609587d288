import type { EnvironmentName } from '@tap/validation';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { loadApprovalRules } from '../approvals/rules';
import { collectChanges, computeRequirements } from '../approvals/requirements';
import { loadGivenApprovals, loadRequirementsReport, verifyApprovals } from '../approvals/verify';
import type { GivenApprovals, PullRequestFacts, RequirementsReport, VerifyReport } from '../approvals/types';
import { checkManifests } from '../check';
import { ManifestError } from '../errors';
import { defaultHistoryFile, verifyAuditTrail } from '../history/chain';
import { inventoryFileFor, loadInventorySet, verifyInventory } from '../inventory';
import { loadManifestSet, readFileBytes, readJsonFile } from '../io';
import { verifyManifest } from '../manifest';
import { renderCheck } from '../render';
import type { BaselineHashes, CheckReport, LoadedInventory, LoadedManifest, ResourceInventory } from '../types';
import { EvidenceError } from './errors';
import { BASELINE_COMMITS_SEARCHED, findCommittedBaseline, gitFacts, runGit, type CommittedBaseline, type GitFacts, type GitFn } from './git';
import { historyEvidence, readHistoryLines, type HistoryEvidence } from './history';
import type { BackOutTarget } from './types';

/** Where `collectEvidence` reads. Relative paths are relative to the working directory (the workspace root). */
export interface EvidenceSources {
  environment: EnvironmentName;
  /** The approved baselines (`<env>.json`, `<env>.resources.json`, `history.jsonl`), as for `tap-drift check --baseline`. */
  baseline: string;
  /** The synth being deployed, as for `tap-drift check --current`. */
  current: string;
  /** Approval rules, to compute the requirements when `requirements` is not given. */
  rules?: string;
  /** The JSON of `tap-drift requirements` (verify-approvals.sh writes it as `requirements.json`). */
  requirements?: string;
  /** The given approvals (`given-approvals.json` of .github/scripts/given-approvals.cjs). */
  given?: string;
  /** The pull request's facts (`pull-request.json` of given-approvals.cjs: number, author, head, base, pushers). */
  pullRequest?: string;
  /** The `tap-policy check --format json` report over the synth. Default: `policy-report.json` beside the synth folder (drift-gate writes it there). */
  policyReport?: string;
  /** The status files' folder. Default: `dist/apps/tap-stack/status`. */
  status?: string;
  git?: GitFn;
  now?: () => Date;
}

/** Everything the bundle says, before it is rendered into files. */
export interface CollectedEvidence {
  environment: EnvironmentName;
  generatedAt: string;
  baseline: { manifest: LoadedManifest; inventory: LoadedInventory; hashes: BaselineHashes };
  /** The change from the previous approved baseline to this one (`tap-drift check` text), and where it came from. */
  change: { text: string; source: 'git' | 'history' | 'first-approval'; check?: CheckReport; before?: ResourceInventory };
  /** The synth against the approved baseline. */
  gate: { text: string; inSync: boolean };
  history: HistoryEvidence & { file: string };
  audit: { ok: boolean; problems: string[] };
  git: Omit<GitFacts, 'repoPath'> & { approvedIn: CommittedSummary | null; previousIn: CommittedSummary | null };
  requirements: { source: 'given' | 'computed' | 'history' | 'none'; file?: string; report?: RequirementsReport | unknown };
  approvals: { given?: GivenApprovals; givenFile?: string; pullRequest?: unknown; verification?: VerifyReport; recordedInHistory: unknown };
  policy: Record<string, unknown>;
  status: Array<Record<string, unknown>>;
  backOut: BackOutTarget;
  /** Why the bundle does not document an approved state (empty when it does). */
  findings: string[];
}

/** A commit, as the bundle names it. */
export interface CommittedSummary {
  commit: string;
  date: string;
  subject: string;
}

const summary = (c: CommittedBaseline | undefined): CommittedSummary | null => (c ? { commit: c.commit, date: c.date, subject: c.subject } : null);
const short = (hash: string | undefined): string => (hash ? `${hash.slice(0, 12)}…` : 'none');

function loadSide(path: string, environment: EnvironmentName, what: string): { manifest: LoadedManifest; inventory: LoadedInventory } {
  const manifests = loadManifestSet(path);
  const manifest = manifests.get(environment);
  if (!manifest) throw new EvidenceError(path, `holds no ${what} of ${environment}; give the folder that does (${what === 'synth' ? 'run the synth: npx nx run tap-stack:synth' : 'the committed baselines, apps/tap-stack/manifests'})`);
  const inventory = loadInventorySet(new Map([[environment, manifest]])).get(environment);
  if (!inventory) throw new EvidenceError(inventoryFileFor(manifest.file), `missing: the ${what} of ${environment} has no resource inventory, so its resources cannot be documented`);
  return { manifest, inventory };
}

const single = <T>(environment: EnvironmentName, value: T | undefined): Map<EnvironmentName, T> => new Map(value === undefined ? [] : [[environment, value]]);

/** The committed previous baseline as loaded files, or undefined when it cannot be read as one. */
function committedSide(environment: EnvironmentName, committed: CommittedBaseline, repoPath: (name: string) => string): { manifest: LoadedManifest; inventory?: LoadedInventory } | undefined {
  try {
    const at = (name: string): string => `${committed.commit.slice(0, 12)}:${repoPath(name)}`;
    const manifest = { file: at(`${environment}.json`), manifest: verifyManifest(committed.manifest, at(`${environment}.json`)) };
    const inventory = committed.inventory === undefined ? undefined : { file: at(`${environment}.resources.json`), inventory: verifyInventory(committed.inventory, at(`${environment}.resources.json`)) };
    return { manifest, ...(inventory ? { inventory } : {}) };
  } catch {
    return undefined;
  }
}

/** The pull-request file's facts verify-approvals uses (author, head, pushers); anything else is kept as it is. */
function pullRequestFacts(value: unknown): PullRequestFacts {
  const pr = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  return {
    ...(typeof pr['author'] === 'string' ? { author: pr['author'] } : {}),
    ...(typeof pr['head'] === 'string' ? { head: pr['head'] } : {}),
    ...(Array.isArray(pr['pushers']) ? { pushers: pr['pushers'].filter((p): p is string => typeof p === 'string') } : {}),
  };
}

function policyEvidence(file: string, explicit: boolean, environment: EnvironmentName, resourceCount: number): Record<string, unknown> {
  if (!existsSync(file)) {
    if (explicit) throw new EvidenceError(file, 'not found: give the JSON of tap-policy check --format json over this synth (drift-check writes it beside the synth folder)');
    return { available: false, file, note: 'no tap-policy report beside the synth: run npx nx run tap-stack:drift-check (it runs the policies and writes it)' };
  }
  const report = readJsonFile(file) as { ok?: unknown; policyCount?: unknown; files?: Array<Record<string, unknown>> };
  if (!Array.isArray(report?.files)) throw new EvidenceError(file, 'not a tap-policy JSON report (no files list); write it with tap-policy check --format json');
  const entries = report.files.filter((f) => f['environment'] === environment);
  return {
    available: true,
    file,
    policyCount: report.policyCount,
    // The report covers every environment; only this one's entry is kept, with whether it was made from this synth.
    matchesSynth: entries.some((f) => f['resourceCount'] === resourceCount),
    blocking: entries.flatMap((f) => (Array.isArray(f['violations']) ? f['violations'] : [])).filter((v) => ['mandatory', 'remediate'].includes((v as { enforcementLevel?: string }).enforcementLevel ?? '')).length,
    entries,
  };
}

/** The status files of `environment` (and those of no environment, e.g. drift-check) in `dir`, parsed. */
function statusEvidence(dir: string, environment: EnvironmentName): Array<Record<string, unknown>> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  const others = (['dev', 'staging', 'prod'] as const).filter((e) => e !== environment);
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json') && !others.some((e) => name.endsWith(`-${e}.json`)))
    .sort()
    .map((name) => {
      const file = join(dir, name);
      try {
        return { file, ...(readJsonFile(file, { within: dir }) as Record<string, unknown>) };
      } catch (error) {
        return { file, unreadable: error instanceof ManifestError ? error.problem : String(error) };
      }
    });
}

function backOutTarget(environment: EnvironmentName, history: HistoryEvidence, hashes: BaselineHashes, previous: CommittedBaseline | undefined, gitNote: string | undefined, repoPath: (name: string) => string): BackOutTarget {
  const old = history.previous.hashes;
  const unchanged = old !== null && old.configHash === hashes.configHash && old.inventoryHash === hashes.inventoryHash;
  const files = [`${environment}.json`, `${environment}.resources.json`].map(repoPath).join(' ');
  const procedure =
    old === null
      ? [`${environment} had no approved baseline before: backing out is destroying it (npx nx run tap-stack:destroy --configuration=${environment}; prod needs its two steps, see "Destroying an environment")`]
      : unchanged
        ? [`this approval did not change ${environment}: nothing to back out for it`]
        : [
            `restore the code of the previous baseline (config ${short(old.configHash)}, inventory ${short(old.inventoryHash)}) in a pull request: git revert the commits after ${previous ? previous.commit.slice(0, 12) : 'the commit that holds it'} that changed ${environment}`,
            `check that the synth is that baseline again: npx nx run tap-stack:drift-check shows exactly the reverse of change-summary.txt; git show ${previous ? previous.commit : '<commit>'}:<file> for ${files} holds it`,
            `approve the back-out with a reason (npx nx run tap-stack:drift-approve --reason "back out ..."), get the reviews it owes, merge: deploy.yml deploys ${environment}`,
          ];
  return {
    hashes: old,
    historyLine: history.previous.line,
    commit: previous?.commit ?? null,
    ...(previous || old === null ? {} : { commitNote: gitNote ?? `no commit of the last ${BASELINE_COMMITS_SEARCHED} that changed ${files} holds those hashes (a shallow clone? fetch the history: git fetch --unshallow)` }),
    unchanged,
    procedure,
  };
}

/**
 * Gathers what an evidence bundle says about the change that produced `environment`'s approved baseline: its hashes
 * old → new, the change itself, the synth against the baseline, the history's proposer, reason and recorded approvals,
 * the approval requirements and the approvals that met them, the policy report, the status files, and the back-out
 * target. Nothing here decides a deploy; `findings` lists why the state documented is not an approved one.
 *
 * @throws ManifestError / EvidenceError (exit 2) when a baseline, the synth or a file given cannot be read.
 * @example
 * const evidence = collectEvidence({ environment: 'prod', baseline: 'apps/tap-stack/manifests', current: 'dist/apps/tap-stack/synth' });
 * evidence.backOut.commit; // '73a676a…' (the commit holding the previous baseline)
 */
export function collectEvidence(sources: EvidenceSources): CollectedEvidence {
  const { environment } = sources;
  const git = sources.git ?? runGit;
  if (!existsSync(sources.baseline) || !statSync(sources.baseline).isDirectory()) {
    throw new EvidenceError(sources.baseline, 'is not a baseline folder; give the folder of <env>.json, <env>.resources.json and history.jsonl (apps/tap-stack/manifests)');
  }
  const approved = loadSide(sources.baseline, environment, 'approved baseline');
  const hashes: BaselineHashes = { configHash: approved.manifest.manifest.configHash, inventoryHash: approved.inventory.inventory.inventoryHash };
  const synth = loadSide(sources.current, environment, 'synth');
  const findings: string[] = [];

  const gateCheck = checkManifests(single(environment, approved.manifest), single(environment, synth.manifest), {
    baseline: single(environment, approved.inventory),
    current: single(environment, synth.inventory),
  });
  if (gateCheck.changed) findings.push(`the synth ${synth.manifest.file} is not the approved baseline of ${environment} (gate-check.txt lists the differences)`);

  const historyFile = defaultHistoryFile(sources.baseline);
  const history = historyEvidence(readHistoryLines(historyFile), environment);
  const record = history.approval?.record;
  if (!record) findings.push(`${historyFile}: no line approved ${environment}`);
  else if (record.newHash !== hashes.configHash || (record.newInventoryHash !== undefined && record.newInventoryHash !== hashes.inventoryHash)) {
    findings.push(`${historyFile}:${history.approval?.line}: approved other hashes than the baseline's (config ${short(hashes.configHash)}, inventory ${short(hashes.inventoryHash)})`);
  }
  let audit: CollectedEvidence['audit'];
  try {
    const report = verifyAuditTrail({ baseline: sources.baseline });
    audit = { ok: report.ok, problems: report.problems.map((p) => p.message) };
  } catch (error) {
    audit = { ok: false, problems: [error instanceof ManifestError ? error.message : String(error)] };
  }
  if (!audit.ok) findings.push(`the audit record does not verify: ${audit.problems[0]}`);

  const names = [basename(approved.manifest.file), basename(approved.inventory.file)];
  const facts = gitFacts(sources.baseline, [...names, basename(historyFile)], git);
  const find = (wanted: BaselineHashes): CommittedBaseline | undefined => (facts.head ? findCommittedBaseline(sources.baseline, names[0], names[1], wanted, git) : undefined);
  const approvedIn = find(hashes);
  const previous = history.previous.hashes ? find(history.previous.hashes) : undefined;

  // The change: the previous approved baseline (from git) against this one; without git, what history recorded.
  const before = previous ? committedSide(environment, previous, facts.repoPath) : undefined;
  let change: CollectedEvidence['change'];
  if (before || history.previous.hashes === null) {
    const check = checkManifests(single(environment, before?.manifest), single(environment, approved.manifest), {
      baseline: single(environment, before?.inventory),
      current: single(environment, approved.inventory),
    });
    change = { text: renderCheck(check, 'text'), source: before ? 'git' : 'first-approval', check, ...(before?.inventory ? { before: before.inventory.inventory } : {}) };
  } else {
    const changed = record?.changedResources;
    change = {
      source: 'history',
      text: [
        `${environment}: the previous baseline (config ${short(history.previous.hashes.configHash)}) is not in this checkout's git history, so this is what ${historyFile}:${history.approval?.line} recorded:`,
        `configuration paths changed: ${record?.changedPaths.join(', ') || 'none'}`,
        ...(changed ? [`resources: +${changed.added} -${changed.removed} ~${changed.changed} (${changed.properties} properties)`, ...changed.list.map((l) => `  ${l}`)] : []),
        '',
      ].join('\n'),
    };
  }

  let requirements: CollectedEvidence['requirements'];
  if (sources.requirements) requirements = { source: 'given', file: sources.requirements, report: loadRequirementsReport(sources.requirements) };
  else if (change.check && sources.rules && existsSync(sources.rules)) {
    const report = computeRequirements(
      collectChanges(change.check, { manifests: single(environment, approved.manifest), inventories: single(environment, approved.inventory) }),
      loadApprovalRules(sources.rules),
      sources.rules,
    );
    requirements = { source: 'computed', file: sources.rules, report };
  } else if (record?.approvals) requirements = { source: 'history', file: historyFile, report: record.approvals };
  else requirements = { source: 'none' };

  const given = sources.given ? loadGivenApprovals(sources.given) : undefined;
  const pullRequest = sources.pullRequest ? readJsonFile(sources.pullRequest) : undefined;
  const checkable = requirements.source === 'given' || requirements.source === 'computed';
  const verification = given && checkable ? verifyApprovals(requirements.report as RequirementsReport, given, sources.given, pullRequestFacts(pullRequest)) : undefined;
  if (verification && !verification.met) findings.push(`the approvals given do not meet every requirement (approvals.json lists what is missing)`);

  // Relative to the working directory, as drift-gate records it: the bundle must not depend on where the checkout lives.
  const policyFile = sources.policyReport ?? relative(process.cwd(), join(dirname(resolve(sources.current)), 'policy-report.json'));
  const policy = policyEvidence(policyFile, sources.policyReport !== undefined, environment, Object.keys(synth.inventory.inventory.resources).length);
  if (policy['available'] && (policy['blocking'] as number) > 0) findings.push(`the policy report ${policyFile} has blocking violations in ${environment}`);

  return {
    environment,
    generatedAt: (sources.now ?? (() => new Date()))().toISOString(),
    baseline: { ...approved, hashes },
    change,
    gate: { text: renderCheck(gateCheck, 'text'), inSync: !gateCheck.changed },
    history: { ...history, file: historyFile },
    audit,
    git: { head: facts.head, dirty: facts.dirty, ...(facts.note ? { note: facts.note } : {}), approvedIn: summary(approvedIn), previousIn: summary(previous) },
    requirements,
    approvals: {
      ...(given ? { given, givenFile: sources.given } : {}),
      ...(pullRequest === undefined ? {} : { pullRequest }),
      ...(verification ? { verification } : {}),
      recordedInHistory: record?.approvals ?? null,
    },
    policy,
    status: [
      ...statusEvidence(sources.status ?? join('dist', 'apps', 'tap-stack', 'status'), environment),
      { file: synth.manifest.file, target: 'synth', configuration: environment, configHash: synth.manifest.manifest.configHash, inventoryHash: synth.inventory.inventory.inventoryHash, resources: Object.keys(synth.inventory.inventory.resources).length },
    ],
    backOut: backOutTarget(environment, history, hashes, previous, facts.note, facts.repoPath),
    findings,
  };
}

/** The bytes of the approved baseline files, as committed (the bundle keeps them so an auditor can recompute the hashes). */
export function baselineFiles(evidence: CollectedEvidence): Array<[string, Buffer]> {
  return [
    [`baseline/${basename(evidence.baseline.manifest.file)}`, readFileBytes(evidence.baseline.manifest.file)],
    [`baseline/${basename(evidence.baseline.inventory.file)}`, readFileBytes(evidence.baseline.inventory.file)],
  ];
}
