import type { ResourceInventory } from '../types';

/** The resource inventory a security diff reads (`<env>.resources.json`, or a synth's `<env>/resources.json`). */
export type Inventory = ResourceInventory;

/** Whether a change gives more access (`broadening`) or less or the same (`narrowing`). */
export type SecurityClassification = 'broadening' | 'narrowing';

/**
 * What kind of grant a row is: a policy statement (IAM identity, trust, key, secret or resource policy, a Lambda
 * permission or a KMS grant as the statement it amounts to), a managed policy attachment, a security-group rule,
 * something that makes a resource reachable, an identity a resource runs as, a restriction (a permissions boundary, a
 * public-access block), or a change the diff cannot judge (an unknown type that may grant access: always broadening).
 */
export type GrantKind = 'statement' | 'attachment' | 'network' | 'reachability' | 'identity' | 'restriction' | 'unjudged';

/** One IAM condition: operator, key (lowercase, as IAM compares keys) and values. */
export interface PolicyCondition {
  operator: string;
  key: string;
  values: string[];
}

/**
 * A policy statement in one canonical shape: lists sorted and without repeats, actions lowercase, `Principal: "*"` and
 * `{"AWS": "*"}` both `*`, a 12-digit account as its root ARN. `undefined` means the element is absent (an identity
 * policy has no `Principal`).
 */
export interface NormalStatement {
  effect: 'Allow' | 'Deny';
  principal?: string[];
  notPrincipal?: string[];
  action?: string[];
  notAction?: string[];
  resource?: string[];
  notResource?: string[];
  condition: PolicyCondition[];
}

/** One security-group rule, one peer: direction, protocol (`-1` all), port range, and the peer it opens to. */
export interface NetworkRule {
  direction: 'ingress' | 'egress';
  /** `tcp`, `udp`, `icmp`, `icmpv6`, a protocol number, or `-1` (all). */
  protocol: string;
  fromPort: number;
  toPort: number;
  /** `cidr:10.0.0.0/16`, `cidr6:::/0`, `sg:<name>`, `prefix:<id>` or `self`. */
  peer: string;
}

/** One changed grant: what it is, where, added (`+`) or removed (`-`), and whether that broadens access. */
export interface SecurityDiffRow {
  change: '+' | '-';
  classification: SecurityClassification;
  kind: GrantKind;
  /** The resource that declares the grant. */
  urn: string;
  type: string;
  name: string;
  /** What the grant is on or for, e.g. `role tap-payments-role`, `trust of role tap-payments-role`, `key tap-key`, `sg tap-db-sg`. */
  scope: string;
  /** Statements: Allow or Deny. */
  effect?: 'Allow' | 'Deny';
  /** Statements: principals (`NotPrincipal` prefixed `not `); network: the peer. */
  principals?: string[];
  /** Statements: actions (`NotAction` prefixed `not `); network: `tcp 5432`; others: what is granted. */
  actions?: string[];
  /** Statements: resources (`NotResource` prefixed `not `); network: `ingress` / `egress`. */
  resources?: string[];
  /** Statements: conditions, `Operator key=value|value`. */
  conditions?: string[];
  /** Why it is classed so, one short sentence. */
  reason: string;
}

/** The security-relevant changes between two inventories, one row per changed grant. */
export interface SecurityDiff {
  rows: SecurityDiffRow[];
  /** Any row is broadening. */
  broadening: boolean;
}
