import { ENVIRONMENT_NAMES } from '@tap/validation';
import { z } from 'zod';

const glob = z.string().trim().min(1, 'must not be empty');
const id = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be lowercase letters, digits and dashes, e.g. "prod-any-change"');
const reason = z.string().trim().min(1, 'is required: say why the rule exists');

/**
 * Which resources a rule is about. `type` and `name` are globs (`*` any characters but `.`, `**` anything, `{a,b}`
 * either); `properties` are globs over changed input paths, matching the path or any parent of it (`policy` matches
 * `policy.Statement[0].Action`). Without `properties`, any change of the resource counts (added, removed, any property).
 */
export const resourceSelectorSchema = z
  .object({
    type: glob,
    name: glob.optional(),
    properties: z.array(glob).min(1, 'must list at least one property glob (leave it out for "any property")').optional(),
    /** Only these kinds of resource change count. Default: all three. */
    changes: z.array(z.enum(['added', 'removed', 'changed'])).min(1).optional(),
  })
  .strict();

/** What a rule or an exemption matches: configuration paths and/or resources. At least one of them. */
const matchSchema = z
  .object({
    /** Globs over configuration manifest paths (`encryption.*`, `lambda.memory`, `**`), matching the path or any parent. */
    config: z.array(glob).optional(),
    resources: z.array(resourceSelectorSchema).optional(),
  })
  .strict()
  .refine((match) => (match.config?.length ?? 0) + (match.resources?.length ?? 0) > 0, 'must list at least one config glob or resource selector');

const ruleSchema = z
  .object({
    id,
    /** Environments whose changes the rule looks at. Default: all. */
    environments: z.array(z.enum(ENVIRONMENT_NAMES)).min(1).optional(),
    match: matchSchema,
    /** The group that must approve (declared in `groups`). */
    group: z.string().min(1),
    /** Distinct members of `group` who must approve. */
    approvals: z.number().int().min(1).max(10),
    /**
     * `any`: every change `match` selects. `broadening`: only a selected change of a resource whose security diff
     * (`securityDiff`) has a broadening row; a configuration path, or an environment the diff could not judge, counts.
     */
    when: z.enum(['any', 'broadening']).default('any'),
    reason,
  })
  .strict();

const codeReviewOnlySchema = z
  .object({
    id,
    match: matchSchema,
    /**
     * `any`: every change of what `match` selects is exempt. `image-tag`: only a change of an image reference whose
     * repository stays the same (only the `:tag` or `@sha256:` digest moves) — a new repository is not exempt.
     */
    when: z.enum(['any', 'image-tag']).default('any'),
    reason,
  })
  .strict();

/**
 * The changes of the code that judges (the drift gate, its policies, the build and CI that run them): a change to any
 * file its `paths` match (globs over repository-relative paths, `**` any directories, `*` within one; dotfiles too)
 * needs every group of `requires`, whatever the synth shows (`tap-drift requirements --changed-files`).
 */
export const gateChangeSchema = z
  .object({
    id,
    paths: z
      .array(
        glob.refine((path) => !path.startsWith('/') && !path.startsWith('./') && !path.split('/').includes('..'), {
          message: 'must be relative to the repository (as git diff --name-only prints), e.g. "tools/**"',
        }),
      )
      .min(1, 'must list at least one path glob'),
    requires: z
      .array(
        z
          .object({
            /** A group declared in `groups`. */
            group: z.string().min(1),
            /** Distinct members of `group` who must approve. */
            approvals: z.number().int().min(1).max(10),
          })
          .strict(),
      )
      .min(1, 'must require at least one group'),
    reason,
  })
  .strict();

/** The approval rules file (`apps/tap-stack/approval-rules.json`). Published as `approval-rules.schema.json` too. */
export const approvalRulesSchema = z
  .object({
    $schema: z.string().optional(),
    version: z.literal(1),
    /** Groups that can approve, each with who they are (a code-host team, e.g. `@tap/platform-leads`). */
    groups: z.record(id, z.string().trim().min(1, 'describe the group (who is in it)')),
    /** Changes that need no approval beyond code review; they never trigger a rule. */
    codeReviewOnly: z.array(codeReviewOnlySchema).default([]),
    rules: z.array(ruleSchema).min(1, 'must hold at least one rule'),
    /** Changes of the code that judges: they need these groups' approvals (with `requirements --changed-files`). */
    gateChange: gateChangeSchema.optional(),
  })
  .strict()
  .superRefine((file, ctx) => {
    const declared = `(declared: ${Object.keys(file.groups).join(', ') || 'none'})`;
    const gate = file.gateChange;
    if (gate && [...file.rules, ...file.codeReviewOnly].some((rule) => rule.id === gate.id)) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['gateChange', 'id'], message: `duplicate id "${gate.id}"` });
    }
    gate?.requires.forEach((entry, i) => {
      if (!(entry.group in file.groups)) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['gateChange', 'requires', i, 'group'], message: `unknown group "${entry.group}" ${declared}` });
      } else if (gate.requires.findIndex((other) => other.group === entry.group) < i) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['gateChange', 'requires', i, 'group'],
          message: `"${entry.group}" is required twice (give one entry with the number of approvals)`,
        });
      }
    });
    const seen = new Set<string>();
    for (const [i, rule] of [...file.rules, ...file.codeReviewOnly].entries()) {
      if (seen.has(rule.id)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['rules', i, 'id'], message: `duplicate id "${rule.id}"` });
      seen.add(rule.id);
    }
    file.rules.forEach((rule, i) => {
      if (!(rule.group in file.groups)) {
        ctx.addIssue({
          code: z.ZodIssueCode.custom,
          path: ['rules', i, 'group'],
          message: `unknown group "${rule.group}" (declared: ${Object.keys(file.groups).join(', ') || 'none'})`,
        });
      }
    });
  });

/** A full commit id: 40 hex digits (SHA-1), or 64 (a SHA-256 repository). */
export const COMMIT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;

/**
 * The approvals a pull request has: one entry per approving review with the groups (code-host teams) the approver
 * belongs to, the review's id and the commit it was given on (`.github/scripts/given-approvals.cjs` writes them), e.g.
 * `[{"approver": "alice", "groups": ["platform-leads", "security"], "reviewId": 80, "commitId": "<40 hex>"}]`.
 * `reviewId` and `commitId` are optional (files from before they were recorded); `verify-approvals --head` does not
 * count an approval without a `commitId`.
 */
export const givenApprovalsSchema = z.array(
  z
    .object({
      approver: z.string().trim().min(1, 'must name who approved'),
      groups: z.array(z.string().trim().min(1)),
      reviewId: z.number().int().positive().optional(),
      commitId: z.string().regex(COMMIT_ID, 'must be a full commit id (40 hex digits)').optional(),
    })
    .strict(),
);
