/**
 * Exit codes of tap-deploy (the gated deploy runner). Nx reports every failed task as exit 1: scripts read the status
 * file (`dist/<app>/status/deploy-<env>.json`) instead.
 */
export const DEPLOY_EXIT = {
  /** The gate passed and `pulumi up` succeeded (check: the gate passed; approve: the baseline was written). */
  ok: 0,
  /** The gate refused: unapproved change, mandatory policy violation, broken audit history, a program that fails. */
  refused: 1,
  /** The gate could not run (a build missing, bad options, no stack chosen): nothing was checked, nothing deployed. */
  couldNotGate: 2,
  /** The gate passed but the Pulumi CLI is missing. */
  cliMissing: 3,
  /** The gate passed but nobody is logged in to a Pulumi backend. */
  notLoggedIn: 4,
  /** The gate passed and `pulumi up` ran and failed (its own exit code is in the status file). */
  upFailed: 5,
} as const;

/** The summary's word for each exit code of {@link DEPLOY_EXIT}. */
export const DEPLOY_OUTCOME: Record<number, string> = {
  [DEPLOY_EXIT.ok]: 'DEPLOYED',
  [DEPLOY_EXIT.refused]: 'REFUSED',
  [DEPLOY_EXIT.couldNotGate]: 'COULD NOT RUN THE GATE',
  [DEPLOY_EXIT.cliMissing]: 'NO PULUMI CLI',
  [DEPLOY_EXIT.notLoggedIn]: 'NOT LOGGED IN',
  [DEPLOY_EXIT.upFailed]: 'PULUMI UP FAILED',
};

/** The steps of a gated deploy, in order, as its summary and status file list them (`check` runs the first four). */
export const DEPLOY_STEPS = ['synth', 'policies', 'baseline check', 'audit verify', 'pulumi version', 'pulumi whoami', 'pulumi preview', 'plan check', 'drift guard', 'pulumi up'] as const;
export type DeployStepName = (typeof DEPLOY_STEPS)[number];

/** At most this many problems go to the status file (the full report has them all). */
export const MAX_PROBLEMS = 50;

/** The networking program's folder and bundle (built by `nx run networking-stack:build`). */
export const NETWORKING_APP = 'apps/networking-stack';
export const NETWORKING_PROGRAM = 'dist/apps/networking-stack/index.js';

/** The tap-security policies' CLI (built by `nx run policy:build`) and tap-drift (`nx run manifest:build`). */
export const TAP_POLICY_CLI = 'packages/policy/dist/bin/tap-policy.js';
export const TAP_DRIFT_CLI = 'packages/manifest/dist/cli/main.js';

/** Policy packs passed to `pulumi up` when their folder holds a `PulumiPolicy.yaml` (as tools/nx-plugin does). */
export const POLICY_PACKS = ['tools/policy-pack'] as const;

/**
 * The flags of every gated `pulumi up`: non-interactive, no second preview (the saved plan is the preview; `--plan
 * <file>` is added by the runner and makes the engine refuse any operation beyond it).
 */
export const PULUMI_UP_FLAGS = ['--yes', '--non-interactive', '--skip-preview'] as const;

/** The flags of the gated `pulumi preview` that saves the update plan (`--save-plan <file>` is added by the runner). */
export const PULUMI_PREVIEW_FLAGS = ['--non-interactive'] as const;

/** The update plan's file name, in dist/apps/<project>/deploy/<env>/ (rewritten by every deploy). */
export const PLAN_FILE = 'update-plan.json';

/** How each stack is gated. */
export interface StackGateSpec {
  /** Nx project name, also the folder under apps/ and dist/apps/. */
  project: 'tap-stack' | 'networking-stack';
  /** The Pulumi project folder (`pulumi up` runs there). */
  appDir: string;
  /** The bundle `pulumi up` runs (Pulumi.yaml `main:`); the synth runs this very file. */
  program: string;
  /** The offline synth CLI: `node <synth> --environment <env> --out <dir>` writes `<dir>/<env>/resources.json`. */
  synth: string;
  /** The committed, approved baselines (never anything from the environment). */
  baselines: string;
  /**
   * `manifest`: `<env>.json` + `<env>.resources.json`, checked by `tap-drift check`, with an audit history
   * (`history.jsonl`). `inventory`: `<env>.resources.json` only, checked here with @tap/manifest.
   */
  baselineKind: 'manifest' | 'inventory';
  /** How to approve a change, for the refusal line. */
  approveCommand: string;
  /**
   * `inventory` stacks: the approval rules their changes are matched against (drift-check and drift-approve list the
   * approvals a change needs). `manifest` stacks list theirs through tap-drift.
   */
  approvalRules?: string;
}

export const STACK_GATES: Record<StackGateSpec['project'], StackGateSpec> = {
  'tap-stack': {
    project: 'tap-stack',
    appDir: 'apps/tap-stack',
    program: 'dist/apps/tap-stack/index.js',
    synth: 'dist/apps/tap-stack/tap-synth.js',
    baselines: 'apps/tap-stack/manifests',
    baselineKind: 'manifest',
    approveCommand: 'npx nx run tap-stack:drift-approve --reason="..."',
  },
  'networking-stack': {
    project: 'networking-stack',
    appDir: NETWORKING_APP,
    program: NETWORKING_PROGRAM,
    synth: 'dist/apps/tap-stack/net-synth.js',
    baselines: 'apps/networking-stack/manifests',
    baselineKind: 'inventory',
    approveCommand: 'npx nx run networking-stack:drift-approve --configuration=<env>',
    // One rules file for both stacks: each rule in one place (the networking rules select its resource types).
    approvalRules: 'apps/tap-stack/approval-rules.json',
  },
};
