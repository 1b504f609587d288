/** The Pulumi project name: config keys are `TapStack:<key>`. */
export const PROJECT = 'TapStack';

/**
 * Stack config key -> `EnvironmentConfig` path. Absent keys fall back to the environment's profile; present keys
 * are validated against it. Error messages name both, so a reader knows which line of `Pulumi.<env>.yaml` to fix.
 */
export const CONFIG_KEYS = {
  'aws:region': 'region',
  'TapStack:environmentSuffix': 'environmentSuffix',
  'TapStack:lambdaMemoryMb': 'lambda.memoryMb',
  'TapStack:lambdaVcpu': 'lambda.vcpu',
  'TapStack:lambdaReservedConcurrency': 'lambda.reservedConcurrency',
  'TapStack:lambdaTimeoutSeconds': 'lambda.timeoutSeconds',
  'TapStack:dbInstanceClass': 'database.instanceClass',
  'TapStack:dbInstanceCount': 'database.instanceCount',
  'TapStack:errorThreshold': 'monitoring.errorThreshold',
  'TapStack:latencyThresholdMs': 'monitoring.latencyThresholdMs',
  'TapStack:dbConnectionsThreshold': 'monitoring.dbConnectionsThreshold',
} as const;

/** Defaults of the stack itself (not of an environment profile). */
export const STACK_DEFAULTS = {
  /** `{environment}` is replaced with the environment name. */
  networkingStackRef: 'organization/networking-stack/{environment}',
  /** The payment-processor image context, relative to the workspace root (`nx run payment-processor:build`). */
  imageBuildContext: 'dist/apps/payment-processor',
  /** Reserved concurrency of the payment Lambda when the config sets none: a runaway cannot starve the account. */
  reservedConcurrency: { dev: 5, staging: 10, prod: 50 },
} as const;

/** Average Duration (ms) of the rotation Lambda above which its alarm fires: a step takes well under a second. */
export const ROTATION_LATENCY_THRESHOLD_MS = 10_000;

/** Average Duration (ms) of the migration Lambda above which its alarm fires; its timeout is 300 s. */
export const MIGRATION_LATENCY_THRESHOLD_MS = 120_000;
