import type { EnvironmentName } from '@tap/validation';
import type { z } from 'zod';
import type { approvalRulesSchema, givenApprovalsSchema, resourceSelectorSchema } from './schema';

/** The rules file (`apps/tap-stack/approval-rules.json`), validated. */
export type ApprovalRules = z.infer<typeof approvalRulesSchema>;

/** One rule of the rules file. */
export type ApprovalRule = ApprovalRules['rules'][number];

/** The `gateChange` section: changes of the code that judges, and the groups they need. */
export type GateChange = NonNullable<ApprovalRules['gateChange']>;

/** One entry of `codeReviewOnly`: changes that need no approval beyond code review. */
export type CodeReviewOnly = ApprovalRules['codeReviewOnly'][number];

/** Which resources (and which of their properties) a rule or an exemption is about. */
export type ResourceSelector = z.infer<typeof resourceSelectorSchema>;

/** The approvals a pull request has, as a workflow exports them from the code host. */
export type GivenApprovals = z.infer<typeof givenApprovalsSchema>;

/**
 * One changed thing the rules are matched against: a configuration path of an environment's manifest, or one resource
 * (added or removed) or one property of a resource (changed).
 */
export type ChangedItem =
  | {
      kind: 'config';
      environment: EnvironmentName;
      /** Configuration path, e.g. `encryption.keyRotation`. */
      path: string;
      change: 'added' | 'removed' | 'changed';
      before?: unknown;
      after?: unknown;
    }
  | {
      kind: 'resource';
      environment: EnvironmentName;
      urn: string;
      type: string;
      /** Logical name. */
      name: string;
      change: 'added' | 'removed' | 'changed';
      /** Changed input path (only for `changed`), e.g. `storageEncrypted`, `policy.Statement[0].Action`. */
      property?: string;
      /** Whether that input was added, removed or changed (only with `property`). */
      propertyChange?: 'added' | 'removed' | 'changed';
      before?: unknown;
      after?: unknown;
    };

/** One required approval: a rule that matched, and the changes that triggered it. */
export interface ApprovalRequirement {
  /** The rule's id. */
  rule: string;
  /** The group that must approve. */
  group: string;
  /** How many distinct members of `group` must approve. */
  approvals: number;
  /** Why the rule exists. */
  reason: string;
  /** Environments whose changes triggered it. */
  environments: EnvironmentName[];
  /**
   * What triggered it, one line each: `prod: encryption.keyRotation` or `prod: tap-db-cluster (aws:rds/cluster:Cluster) storageEncrypted`;
   * for the gate-change requirement, the changed files (the first `GATE_TRIGGER_CAP`).
   */
  triggeredBy: string[];
  /** How many things triggered it, when `triggeredBy` lists only the first of them (gate-change). */
  triggeredCount?: number;
}

/** A change that needed no approval beyond code review, and which `codeReviewOnly` entry said so. */
export interface ExemptChange {
  /** The `codeReviewOnly` entry's id. */
  exemption: string;
  /** The change, in the words of `triggeredBy`. */
  change: string;
}

/** Everything `tap-drift requirements` says about a change. */
export interface RequirementsReport {
  /** The rules file. */
  rulesFile: string;
  /** Environments that changed (configuration or resources). */
  changedEnvironments: EnvironmentName[];
  /** Number of changed items (paths, resources, properties) the rules were matched against. */
  changeCount: number;
  requirements: ApprovalRequirement[];
  /** Changes exempted by `codeReviewOnly` (they trigger no rule). */
  exempt: ExemptChange[];
  /** Changed items that are neither exempt nor matched by any rule (code review only, by default). */
  unmatched: string[];
  /** How many changed files `--changed-files` listed (absent without it). */
  changedFiles?: number;
}

/** How one requirement stands against the given approvals. */
export interface RequirementStatus extends ApprovalRequirement {
  /** Distinct approvers of `group` among the given approvals, sorted. */
  approvedBy: string[];
  met: boolean;
  /** How many more approvals of `group` are needed (0 when met). */
  missing: number;
}

/** What `verify-approvals` knows of the pull request, to tell which reviews vouch for its code (logins case-insensitive). */
export interface PullRequestFacts {
  /** The pull request's author: their own review never counts. */
  author?: string;
  /** The head commit (full id): with it, only reviews given on it count. */
  head?: string;
  /** Logins that authored or committed any of its commits: their reviews never count. */
  pushers?: readonly string[];
}

/** A given approval that counts for no requirement, and why. */
export interface NotCounted {
  approver: string;
  /** The review's id, when the given file records it. */
  reviewId?: number;
  /** Why, e.g. `given on an older commit 1a2b3c4, not on the head 5d6e7f8`. */
  reason: string;
}

/** The result of `tap-drift verify-approvals`. */
export interface VerifyReport {
  /** Every requirement met. */
  met: boolean;
  requirements: RequirementStatus[];
  /** Every given approval that was not counted, with its reason (in the order given). */
  notCounted: NotCounted[];
  /** The pull request the approvals were checked against, when any of it was given. */
  pullRequest?: PullRequestFacts;
  /** The given-approvals file. */
  givenFile?: string;
}
