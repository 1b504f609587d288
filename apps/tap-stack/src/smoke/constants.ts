/** Exit codes of `tap-smoke`: passed, a check failed, could not run (or could not tear down). */
export const SMOKE_EXIT = { passed: 0, failed: 1, couldNotRun: 2 } as const;

/** The stack outputs every deployed environment has (apps/tap-stack/src/index.ts). */
export const STACK_OUTPUTS = [
  'databaseEndpoint',
  'lambdaFunctionArn',
  'secretArn',
  'configManifest',
  'configHash',
  'environmentName',
  'environmentSuffixOutput',
] as const;

/** Generated suffixes: `smk` + random base-36 characters (lowercase letters and digits fit every name rule). */
export const SMOKE_SUFFIX = { prefix: 'smk', randomLength: 6 } as const;

/**
 * How long to wait for things AWS does asynchronously. CloudWatch Logs usually shows a line within seconds; a
 * rotation runs four Lambda steps (createSecret, setSecret, testSecret, finishSecret) and takes well under a minute.
 */
export const SMOKE_WAITS = {
  logs: { attempts: 12, delayMs: 5000 },
  rotation: { attempts: 60, delayMs: 5000 },
} as const;

/** Step names, in order. */
export const SMOKE_STEPS = ['preflight', 'up', 'outputs', 'invoke', 'logs', 'rotate', 'drift', 'destroy', 'stack rm'] as const;
