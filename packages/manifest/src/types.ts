import type { ConfigPath, ConfigValue, EnvironmentName, FieldPolicy, SETTINGS } from '@tap/validation';
import type { BindingFinding } from './binding';
import type { INVENTORY_VERSION, OUTPUT_FORMATS } from './constants';

type Row<P extends ConfigPath> = (typeof SETTINGS)[P];
/** The settings the manifest records (a row with a manifest path). */
type Recorded = { [P in ConfigPath]: Row<P>['manifest'] extends string ? P : never }[ConfigPath];
type ManifestPathOf<P extends Recorded> = Row<P>['manifest'];
/** A setting with a fallback is always recorded: the value in effect. */
type RecordedValue<P extends Recorded> = Row<P> extends { fallback: unknown } ? NonNullable<ConfigValue<P>> : ConfigValue<P>;
type GroupOf<M> = M extends `${infer G}.${string}` ? G : never;
type ManifestGroup<G extends string> = {
  [P in Recorded as ManifestPathOf<P> extends `${G}.${infer L}` ? (undefined extends RecordedValue<P> ? never : L) : never]: RecordedValue<P>;
} & {
  [P in Recorded as ManifestPathOf<P> extends `${G}.${infer L}` ? (undefined extends RecordedValue<P> ? L : never) : never]?: NonNullable<RecordedValue<P>>;
};

/**
 * The settings part of a manifest's configuration, derived from `SETTINGS` of @tap/validation: each setting at its
 * manifest path (`lambda.memory`) with its config type.
 */
export type ManifestSettings = {
  [P in Recorded as ManifestPathOf<P> extends `${string}.${string}` ? never : ManifestPathOf<P>]: RecordedValue<P>;
} & { [G in GroupOf<ManifestPathOf<Recorded>>]: ManifestGroup<G> };

/** The hashed part of a manifest: what an environment is (its settings) and the image it runs. */
export type ManifestConfiguration = ManifestSettings & { docker: { imageUri: string } };

/** A canonical, hashed record of one environment's configuration. */
export interface ConfigManifest {
  /** The format (`MANIFEST_VERSION`); an older file is upgraded when it is read. */
  manifestVersion: 2;
  /**
   * The configuration fields its writer records, sorted (`MANIFEST_FIELDS` when it was written): a field missing from
   * the list is one that writer did not know (reported as a new field); one listed must be in `configuration` (unless
   * its setting is optional and unset). Not hashed: it follows from the configuration and the writer's settings.
   */
  fields: string[];
  environment: EnvironmentName;
  /** ISO 8601; when the manifest was made. Never part of the hash. */
  timestamp: string;
  configuration: ManifestConfiguration;
  /** Lowercase hex SHA-256 of the RFC 8785 canonical JSON of `configuration`. */
  configHash: string;
}

/** What `createConfigManifest` needs besides the environment config. */
export interface ManifestExtras {
  /** The deployed container image, e.g. `123.dkr.ecr.us-east-1.amazonaws.com/payments@sha256:...`. */
  imageUri: string;
  /** ISO 8601 timestamp. Default: now. Fix it for reproducible files (offline synth, tests). */
  timestamp?: string;
}

export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** One difference between two manifests, by configuration path. */
export interface ManifestChange {
  path: string;
  kind: 'changed' | 'added' | 'removed';
  before?: unknown;
  after?: unknown;
  /** `added` only: the baseline's writer did not record this field at all (a setting added since), so it is new. */
  newField?: true;
}

/** A manifest and the file it came from. */
export interface LoadedManifest {
  file: string;
  manifest: ConfigManifest;
}

/** One configuration path across environments in `compareManifests`. */
export interface CompareRow {
  path: string;
  /** How the path may vary (from `@tap/validation`'s FIELD_POLICIES). */
  policy: FieldPolicy;
  values: Partial<Record<EnvironmentName, unknown>>;
  /** `same`: equal everywhere and within every profile; `expected`: differs as profiles allow; `drift`: anything else. */
  status: 'same' | 'expected' | 'drift';
  /** Why a row is drift, one sentence each (e.g. `prod: Prod environment must run 2 database instances ...`). */
  reasons: string[];
}

export interface CompareReport {
  environments: EnvironmentName[];
  files: Partial<Record<EnvironmentName, string>>;
  rows: CompareRow[];
  /** Resource-level parity of the environments' inventories (absent when compared without inventories). */
  resources?: ResourceParityReport;
  /** Configuration or resource drift. */
  drift: boolean;
}

/** One environment against its approved baseline. */
export interface EnvironmentCheck {
  environment: EnvironmentName;
  /** `added`: current only (no approved baseline); `removed`: baseline only (no current manifest). */
  status: 'unchanged' | 'changed' | 'added' | 'removed';
  baselineFile?: string;
  currentFile?: string;
  baselineHash?: string;
  currentHash?: string;
  /** Configuration paths that changed. */
  changes: ManifestChange[];
  /** The resource inventory against the approved one (absent when checked without inventories). */
  resources?: InventoryCheck;
}

export interface CheckReport {
  environments: EnvironmentCheck[];
  /** Anything (configuration or resources) needs approval. */
  changed: boolean;
  /**
   * Settings the current synth does not hold at the resource property they feed (`checkBindings`): exit 1 whatever
   * the baselines say, an approval does not waive them.
   */
  bindings: BindingFinding[];
  /** Problems that make the check incomplete (exit 2), each one line with its fix, e.g. an old-format baseline. */
  errors: string[];
}

/**
 * Who approved (`approver`: the `--approver` flag or the git identity, outside CI) or proposed (`proposer`: the CI
 * actor, `GITHUB_ACTOR`, source `ci`). Lines written before the chain may carry `approver` with source `ci`.
 */
export interface Approver {
  name: string;
  email?: string;
  source: 'flag' | 'ci' | 'git';
}

/** The policy result an approval was given with. */
export interface PolicyResult {
  /** `passed`: a `tap-policy check --format json` report without blocking violations; `not checked`: `--no-policy-check`. */
  result: 'passed' | 'not checked';
  /** The report file. */
  report?: string;
  /** Violations in the report (all advisory when passed). */
  violations?: number;
  /** Policies the report ran. */
  policies?: number;
}

/** The resources an approval accepted: counts, and short names (`<name> (<type>)`) of each. */
export interface ChangedResources {
  added: number;
  removed: number;
  changed: number;
  properties: number;
  /** `+ name (type)`, `- name (type)`, `~ name (type): path, path` — capped, see `truncated`. */
  list: string[];
  /** How many entries `list` leaves off. */
  truncated?: number;
}

/**
 * One line of the approval history (JSON Lines). Lines written before audited approvals have only `time` to
 * `currentFile`; `readApprovalHistory` reads both.
 */
export interface ApprovalRecord {
  time: string;
  environment: EnvironmentName;
  /** Configuration hash before (null: first approval) and after. */
  oldHash: string | null;
  newHash: string;
  changedPaths: string[];
  baselineFile: string;
  currentFile: string;
  approver?: Approver;
  /** In CI: who ran the approval (`GITHUB_ACTOR`, source `ci`); the approvals are the pull request's reviews. */
  proposer?: Approver;
  reason?: string;
  /** Inventory hash before (null: none approved yet) and after. */
  oldInventoryHash?: string | null;
  newInventoryHash?: string;
  inventoryFile?: string;
  changedResources?: ChangedResources;
  policy?: PolicyResult;
  /** The approvals the change needed (`approve --rules`), each met or not and by whom (`--approvals`). */
  approvals?: RecordedApprovals;
  /**
   * SHA-256 hex of the canonical JSON (RFC 8785) of the previous line's object; `null` on the first line of an empty
   * history. Absent on lines written before the chain (covered by the chain-start's `legacySha256`).
   */
  prevHash?: string | null;
}

/** The hashes of one environment's approved baseline. */
export interface BaselineHashes {
  configHash: string;
  /** Absent for an old-format baseline without a resource inventory. */
  inventoryHash?: string;
}

/**
 * The migration line that starts the hash chain of a history that had lines without `prevHash` (`tap-drift audit
 * start-chain`): those legacy lines are covered by the SHA-256 of their exact bytes.
 */
export interface ChainStartRecord {
  kind: 'chain-start';
  time: string;
  /** How many lines come before this one (the legacy lines). */
  legacyLines: number;
  /** SHA-256 hex of the exact bytes of the legacy lines, newlines included. */
  legacySha256: string;
  /** The hash of the last legacy line (null when there is none). */
  prevHash: string | null;
  reason: string;
  /** The baselines committed when the chain started, by environment. */
  baselines: Partial<Record<EnvironmentName, BaselineHashes>>;
}

/**
 * A deploy that went ahead knowingly over out-of-band changes (`tap-deploy --revert-drift --reason`): the resources whose
 * cloud state differed from the stack state and that this deploy was about to update, replace or delete (so it reverts
 * those changes). It approves no baseline; it records who chose to overwrite what, and why.
 */
export interface RevertDriftRecord {
  kind: 'revert-drift';
  time: string;
  environment: EnvironmentName;
  /** Why the out-of-band changes are overwritten (`--reason`). */
  reason: string;
  /** Outside CI: who ran the deploy (the git identity), as approvals record it. */
  approver?: Approver;
  /** In CI: `GITHUB_ACTOR`, source `ci`. */
  proposer?: Approver;
  /** Each drifted resource the deploy reverts: URN, type and the property paths that drifted. */
  resources: Array<{ urn: string; type: string; properties: string[] }>;
  /** The hash of the previous line (see {@link ApprovalRecord.prevHash}); null on the first line of an empty history. */
  prevHash: string | null;
}

/** A line of the history: an approval, the chain-start, or a knowing revert of out-of-band changes. */
export type HistoryRecord = ApprovalRecord | ChainStartRecord | RevertDriftRecord;

/** One line of the history as read: its 1-based line number, the byte offset where it starts, the record and the raw parsed value it is hashed from. */
export interface HistoryLine {
  line: number;
  offset: number;
  record: HistoryRecord;
  value: unknown;
}

/** One problem `verifyAuditTrail` found: the file (and line) and what is wrong, one line. */
export interface AuditProblem {
  file: string;
  line?: number;
  /** `<file>[:<line>]: <problem>`. */
  message: string;
}

/** What `verifyAuditTrail` checked and found. */
export interface AuditReport {
  ok: boolean;
  history: string;
  baseline: string;
  /** Non-blank lines of the history. */
  lines: number;
  /** Lines before the chain-start (0 without one). */
  legacyLines: number;
  /** Line number of the chain-start, or null (a history chained from its first line, or not chained at all). */
  chainStart: number | null;
  /** Whether the history is a chain at all (a chain-start, or `prevHash` from its first line). */
  chained: boolean;
  /** Each environment's baseline against the last line that approved it. */
  environments: Array<{
    environment: EnvironmentName;
    /** What history approved last, and on which line; null: never approved. */
    approved: (BaselineHashes & { line: number }) | null;
    /** The baseline's hashes; null: no baseline file. */
    baseline: BaselineHashes | null;
    ok: boolean;
  }>;
  /** Every problem, first broken line first. */
  problems: AuditProblem[];
}

/** One approval requirement recorded as unmet on a history line. */
export interface OwedApproval {
  environment: EnvironmentName;
  /** The history line that recorded it, and its time and reason. */
  line: number;
  time: string;
  reason?: string;
  rule: string;
  group: string;
  approvals: number;
  approvedBy: string[];
}

/** The approvals owed per environment: recorded unmet since that environment's last fully met approval. */
export interface OwedReport {
  history: string;
  /** Any approval owed. */
  owed: boolean;
  environments: Array<{ environment: EnvironmentName; owed: OwedApproval[] }>;
}

/** The approval requirements of one approved environment, as `approve --rules [--approvals]` recorded them. */
export interface RecordedApprovals {
  /** The rules file. */
  rules: string;
  /** The given-approvals file; absent: none given at approval time (the pull request's verify-approvals check decides). */
  given?: string;
  /** Every requirement the change triggered in this environment. */
  requirements: Array<{ rule: string; group: string; approvals: number; approvedBy: string[]; met: boolean }>;
}

export interface ApproveReport {
  /** The check that was approved (what changed). */
  check: CheckReport;
  /** Environments whose baseline was written, with their history line. */
  approved: ApprovalRecord[];
  historyFile: string;
}

/** One resource of a resource inventory (the key is its URN). */
export interface InventoryResource {
  type: string;
  /** Logical name. */
  name: string;
  /** URN of the parent (the component that created it); absent only for the root stack. */
  parent?: string;
  /** `false` for component resources (they have no inputs of their own). */
  custom: boolean;
  /**
   * Inputs: secrets `{ "secret": "sha256:…" }` (`[secret]` when the synth recorded no digest), references
   * `${ref:<name>.<attribute>}`, JSON strings parsed, this build's volatile values fixed.
   */
  inputs: Record<string, unknown>;
  /** URNs this resource waits for (explicit `dependsOn` and references), sorted; absent when the synth records none. */
  dependencies?: string[];
  /** Resource options the program set (`protect`, `ignoreChanges`, `provider` as a URN, ...); absent when none. */
  options?: Record<string, unknown>;
}

/** One place where a volatile value (see `VOLATILE_VALUES`) was replaced. */
export interface VolatileOccurrence {
  rule: string;
  urn: string;
  /** Input path, e.g. `imageUri` or `triggers.imageDigest`. */
  path: string;
}

/** What was done to the inputs so the inventory is stable and safe to commit; part of the hash. */
export interface InventoryNormalisation {
  /** Every replaced volatile value, so a reviewer sees what the gate does not compare. */
  volatile: VolatileOccurrence[];
  /** Inputs whose JSON-string value (an IAM or key policy, ...) is stored parsed, so it diffs structurally. */
  jsonStrings: Array<{ urn: string; path: string }>;
}

/** The canonical, hashed record of every resource an environment declares. */
export interface ResourceInventory {
  inventoryVersion: typeof INVENTORY_VERSION;
  environment: EnvironmentName;
  normalisation: InventoryNormalisation;
  /** By URN, sorted. */
  resources: Record<string, InventoryResource>;
  /** Lowercase hex SHA-256 of the RFC 8785 canonical JSON of `{ normalisation, resources }`. */
  inventoryHash: string;
}

/** An inventory and the file it came from (a stored inventory or the synth's `resources.json`). */
export interface LoadedInventory {
  file: string;
  inventory: ResourceInventory;
}

/** One changed input (or `(parent)` / `(dependencies)` / `(options).<option>`) of a resource. */
export interface PropertyChange {
  /** e.g. `period`, `policy.Statement[2].Action`, `tags["team.name"]`, `(options).protect`. */
  path: string;
  kind: 'changed' | 'added' | 'removed';
  before?: unknown;
  after?: unknown;
  /** A secret input: `before`/`after` are digests, reports say `changed (secret)`. */
  secret?: true;
}

/** One resource that differs between two inventories. */
export interface ResourceChange {
  urn: string;
  type: string;
  name: string;
  kind: 'added' | 'removed' | 'changed';
  /** Changed properties (only for `changed`). */
  properties: PropertyChange[];
}

/** The changes under one parent component. */
export interface ComponentChanges {
  /** URN of the parent component; `''` for the root stack. */
  parent: string;
  /** Short label, e.g. `tap-monitoring (tap:monitoring:MonitoringComponent)`. */
  label: string;
  added: number;
  removed: number;
  changed: number;
  /** Number of changed properties. */
  properties: number;
  resources: ResourceChange[];
}

/** Counts of an inventory diff. */
export interface InventoryCounts {
  added: number;
  removed: number;
  changed: number;
  properties: number;
}

/** Everything that differs between two inventories, grouped by component. */
export interface InventoryDiff {
  counts: InventoryCounts;
  components: ComponentChanges[];
}

/** The resource side of one environment's check. */
export interface InventoryCheck {
  /**
   * `unchanged` / `changed`; `added`: no approved inventory because the environment is new; `no-baseline`: the baseline
   * is in the old format (configuration only) — an error, fixed by drift-approve; `no-current`: nothing to compare.
   */
  status: 'unchanged' | 'changed' | 'added' | 'no-baseline' | 'no-current';
  baselineFile?: string;
  currentFile?: string;
  baselineHash?: string;
  currentHash?: string;
  diff: InventoryDiff;
  /** The list of normalised values (volatile values, parsed JSON strings) differs too. */
  normalisationChanged?: boolean;
}

/** One resource property across environments in the resource-parity compare. */
export interface ParityRow {
  /** URN with the stack, environment, suffix, region and account normalised. */
  resource: string;
  type: string;
  name: string;
  /** Input path, `(count)` or `(present)`. */
  path: string;
  values: Partial<Record<EnvironmentName, unknown>>;
  status: 'expected' | 'drift';
  /** Why: the rule's configuration field (`lambda.memoryMb`) or the drift reason. */
  reason: string;
}

/** Resource-level parity of the environments' inventories. */
export interface ResourceParityReport {
  environments: EnvironmentName[];
  files: Partial<Record<EnvironmentName, string>>;
  /** Resources compared (normalised URNs in at least one environment). */
  resourceCount: number;
  rows: ParityRow[];
  drift: boolean;
}
