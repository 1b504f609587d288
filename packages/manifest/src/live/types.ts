/** How a resource drifted, from the `pulumi refresh --preview-only` step operation. */
export type ResourceDriftKind = 'changed' | 'missing' | 'unmanaged' | 'replaced' | 'unknown';

/**
 * Why a drift entry is not counted: the matching rule of the ignore file (`rule`), or a change the service makes by
 * design (`builtin`, the id of an entry of `EXPECTED_CHANGES`, e.g. a Secrets Manager rotation).
 */
export type IgnoredBy =
  | {
      /** Index of the rule in the ignore file (0-based). */
      rule: number;
      reason: string;
    }
  | {
      /** Id of the built-in class, e.g. `secretsmanager-rotation-stages`. */
      builtin: string;
      reason: string;
    };

/** One changed property of a drifted resource. Secret values are always `"[secret]"`. */
export interface PropertyDrift {
  /** Pulumi property path, e.g. `tags.Owner` or `ingress[0].cidrBlocks[0]`. */
  path: string;
  /** Pulumi diff kind: add, delete, update, add-replace, delete-replace, update-replace. */
  kind: string;
  /** Value in the stack state. */
  old?: unknown;
  /** Value read from the cloud. */
  new?: unknown;
  ignored?: IgnoredBy;
}

/** One resource whose cloud state differs from the stack state. */
export interface ResourceDrift {
  urn: string;
  type: string;
  name: string;
  kind: ResourceDriftKind;
  /** The Pulumi step operation(s), e.g. `update`, or `create-replacement+delete-replaced`. */
  op: string;
  properties: PropertyDrift[];
  /** Set when the whole entry is ignored (a resource rule, or every changed property ignored). */
  ignored?: IgnoredBy;
}

/** What `pulumi refresh --preview-only --json` says, as drift. */
export interface RefreshPreview {
  resources: ResourceDrift[];
  /** Diagnostics with severity `warning`, carried into the report. */
  warnings: string[];
  /** Diagnostics with severity `error`: the preview cannot be trusted (exit 2). */
  errors: string[];
}

/** One rule of the ignore file: glob patterns (picomatch) for resource type, name and property path. */
export interface IgnoreRule {
  /** e.g. `aws:rds/cluster:Cluster` or `aws:rds/*`. */
  type: string;
  /** Resource name pattern. Default `*`. */
  name: string;
  /** Property path pattern; without it the rule ignores the whole resource, whatever happened to it. */
  property?: string;
  /** Why this drift is benign: required, printed next to every entry it ignores. */
  reason: string;
}

/** How a configuration path differs between the deployed stack and the current code. */
export interface DeployedChange {
  path: string;
  /** `not-deployed`: in the code (approved) but not deployed; `not-in-code`: deployed but not in the code. */
  kind: 'not-deployed' | 'not-in-code';
  /** The explanation printed in reports. */
  label: string;
  deployed?: unknown;
  code?: unknown;
}

/** The deployed `configManifest` stack output against the offline synth of the current code. */
export interface DeployedComparison {
  /** `missing`: the stack has no configManifest output (never deployed, or deployed before manifests existed). */
  status: 'in-sync' | 'drift' | 'missing';
  codeFile: string;
  codeHash: string;
  deployedHash?: string;
  /** When the deployed manifest was made (the deploy), if it says. */
  deployedAt?: string;
  changes: DeployedChange[];
  /** One sentence when status is `missing`. */
  note?: string;
}

/** One environment's live drift: cloud vs state, and deployed vs code. */
export interface LiveDriftReport {
  environment: string;
  stack: string;
  /** ISO 8601 time of the check. */
  checkedAt: string;
  status: 'in-sync' | 'drift' | 'error';
  /** 0 in sync, 1 drift, 2 error. */
  exitCode: number;
  cloud: RefreshPreview;
  /** Absent when the stack output could not be read (see `errors`). */
  deployed?: DeployedComparison;
  /** Everything that made the check unreliable (refresh diagnostics, unreadable outputs). */
  errors: string[];
}
