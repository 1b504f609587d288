import type { ValidationIssue } from './types';

/** A physical resource name that breaks the `{type}-{environment}-{suffix}` rule. */
export class ResourceNameError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResourceNameError';
  }
}

/** An environment config that breaks its profile; `issues` lists every violation, not only the first. */
export class ConfigValidationError extends Error {
  readonly issues: readonly ValidationIssue[];
  readonly environment: string;

  constructor(environment: string, issues: readonly ValidationIssue[]) {
    const count = `${issues.length} problem${issues.length === 1 ? '' : 's'}`;
    super(
      `Invalid configuration for environment "${environment}" (${count}):\n` +
        issues.map((issue) => `  - ${issue.path || '(config)'}: ${issue.message}`).join('\n'),
    );
    this.name = 'ConfigValidationError';
    this.environment = environment;
    this.issues = issues;
  }
}
