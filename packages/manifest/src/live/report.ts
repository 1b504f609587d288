import { EXIT_CODES } from '../constants';
import type { DeployedComparison, LiveDriftReport, RefreshPreview } from './types';

/** What a live-drift report is built from. */
export interface LiveReportParts {
  environment: string;
  stack: string;
  cloud: RefreshPreview;
  deployed?: DeployedComparison;
  /** Errors besides the refresh diagnostics (e.g. an unreadable stack output). */
  errors?: string[];
  /** ISO 8601. Default: now. */
  checkedAt?: string;
}

/**
 * One environment's live-drift report and its exit code: 2 when anything made the check unreliable, 1 when a resource
 * drifted (ignored entries do not count) or the deployed configuration differs from the code (or is missing), else 0.
 *
 * @example
 * const report = buildLiveReport({ environment: 'dev', stack: 'dev', cloud: preview, deployed });
 * process.exitCode = report.exitCode;
 */
export function buildLiveReport(parts: LiveReportParts): LiveDriftReport {
  const errors = [...parts.cloud.errors, ...(parts.errors ?? [])];
  const cloudDrift = parts.cloud.resources.some((resource) => !resource.ignored);
  const deployedDrift = parts.deployed !== undefined && parts.deployed.status !== 'in-sync';
  const status = errors.length > 0 ? 'error' : cloudDrift || deployedDrift ? 'drift' : 'in-sync';
  return {
    environment: parts.environment,
    stack: parts.stack,
    checkedAt: parts.checkedAt ?? new Date().toISOString(),
    status,
    exitCode: status === 'error' ? EXIT_CODES.badInput : status === 'drift' ? EXIT_CODES.drift : EXIT_CODES.ok,
    cloud: parts.cloud,
    ...(parts.deployed ? { deployed: parts.deployed } : {}),
    errors,
  };
}
