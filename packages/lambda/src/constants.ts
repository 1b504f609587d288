import type { LambdaComponentArgs } from './types';

/**
 * Defaults of {@link LambdaComponent}, resolved at the top of its constructor; keyed by the argument names (a misspelt
 * or renamed key does not compile).
 */
export const LAMBDA_DEFAULTS = {
  serviceName: 'payment-processor',
  memoryMb: 512,
  timeoutSeconds: 30,
  architecture: 'x86_64',
  logging: { retentionDays: 30 },
  maxImageCount: 10,
  createFunctionUrl: false,
} as const satisfies Partial<LambdaComponentArgs>;

/** Defaults of {@link LambdaMigrationArgs}. */
export const MIGRATION_DEFAULTS = {
  handler: 'migrate.handler',
  timeoutSeconds: 300,
  memorySize: 256,
  /** Migrations take an advisory lock anyway; one at a time keeps a retried invocation from queueing behind it. */
  reservedConcurrency: 1,
} as const;

export const ARCHITECTURE_PLATFORMS = {
  x86_64: 'linux/amd64',
  arm64: 'linux/arm64',
} as const;
