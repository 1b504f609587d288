/** The Pulumi project name: config keys are `TapStack:<key>`. */
export const PROJECT = 'TapStack';

/**
 * Keys of the stack itself, beside the settings keys (`CONFIG_KEYS` in config.ts, from `SETTINGS` of @tap/validation): together they are every key the program reads. Any other key
 * in the `TapStack` namespace (or in a namespace that looks like it) fails the run, so a misspelling never falls back
 * to the profile silently.
 */
export const STACK_KEYS = [
  'TapStack:environment',
  'TapStack:networkingStackRef',
  'TapStack:alarmEmail',
  'TapStack:imageBuildContext',
] as const;

/**
 * The only keys outside the project's namespace a stack may set. `aws:region` decides where the stack deploys and the
 * synth reads it (mocks, ARNs, the profile's region rule). Every other provider or Pulumi key (`aws:endpoints`,
 * `aws:defaultTags`, `aws:assumeRole`, `aws:profile`, `docker:host`, `pulumi:disable-default-providers`, ...) changes
 * what or where a deploy creates while the offline synth, its mocks and the gate cannot see it: it is refused.
 */
export const PROVIDER_CONFIG_KEYS = ['aws:region'] as const;

/**
 * How far (edit distance, case-insensitive) a config namespace may be from `TapStack` and still be taken for a typo
 * of it (`tap-stack`, `tapstack`, `TapStak`); `aws`, `pulumi` and other providers' namespaces are much further.
 */
export const NAMESPACE_TYPO_DISTANCE = 2;

/** Defaults of the stack itself (not of an environment profile). */
export const STACK_DEFAULTS = {
  /** `{environment}` is replaced with the environment name. */
  networkingStackRef: 'organization/networking-stack/{environment}',
  /** The payment-processor image context, relative to the workspace root (`nx run payment-processor:build`). */
  imageBuildContext: 'dist/apps/payment-processor',
} as const;

/** Average Duration (ms) of the rotation Lambda above which its alarm fires: a step takes well under a second. */
export const ROTATION_LATENCY_THRESHOLD_MS = 10_000;

/** Average Duration (ms) of the migration Lambda above which its alarm fires; its timeout is 300 s. */
export const MIGRATION_LATENCY_THRESHOLD_MS = 120_000;
