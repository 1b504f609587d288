import type { EnvironmentName } from '@tap/validation';

/** The result of one check: passed, failed (with what to do), or not run (and why). */
export type CheckStatus = 'pass' | 'fail' | 'skip';

/** One line of the report. */
export interface CheckResult {
  /** Stable id, e.g. `engine-version`. */
  id: string;
  /** What was checked, e.g. `Aurora PostgreSQL 15.10 offered in us-east-2`. */
  title: string;
  status: CheckStatus;
  /** What was found. */
  detail: string;
  /** For a failure: what to do. */
  fix?: string;
  /** What the result leaves out or assumes, e.g. a resource this deploy creates first. */
  note?: string;
}

/** What the stack of one environment needs from the account, read from `Pulumi.<stack>.yaml`. */
export interface PreflightTarget {
  environment: EnvironmentName;
  /** The Pulumi stack, e.g. `dev` or `dev-smoke-k3x9`. */
  stack: string;
  /** `aws:region` of the stack. */
  region: string;
  /** The region of the environment's profile. */
  profileRegion: string;
  suffix: string;
  engineVersion: string;
  instanceClass: string;
  instanceCount: number;
  memoryMb: number;
  /** Reserved concurrency of the payment function. */
  reservedConcurrency: number;
  networkingStackRef: string;
}

/** A preflight report of one environment. */
export interface PreflightReport {
  environment: EnvironmentName;
  stack: string;
  region: string;
  /** Account and principal, once credentials resolved. */
  identity?: { account: string; arn: string };
  checks: CheckResult[];
  /** 0 ready, 1 not ready, 2 could not check. */
  exitCode: number;
  /** The one line that says why the run could not check (exit 2). */
  error?: string;
}

/** What a child process gave back. */
export interface SpawnResult {
  status: number | null;
  stdout: string;
  stderr: string;
  error?: Error;
}

/** Runs a command and waits; injectable so tests need no Docker or Pulumi CLI. */
export type SpawnFn = (command: string, args: readonly string[], options?: { cwd?: string; env?: NodeJS.ProcessEnv }) => SpawnResult;
