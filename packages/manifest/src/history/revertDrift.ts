import type { EnvironmentName } from '@tap/validation';
import { appendFileSync } from 'node:fs';
import { resolveIdentity, type GitIdentityFn } from '../audit';
import { ManifestError } from '../errors';
import type { RevertDriftRecord } from '../types';
import { nextPrevHash, withHistoryLock } from './chain';

/** Options of `appendRevertDrift`. */
export interface RevertDriftOptions {
  /** The history file (`history.jsonl` beside the approved baselines). */
  history: string;
  environment: EnvironmentName;
  /** Why the out-of-band changes are overwritten (`--reason`). Required, not blank. */
  reason: string;
  /** The drifted resources the deploy reverts (at least one). */
  resources: RevertDriftRecord['resources'];
  /** Environment variables (CI, GITHUB_ACTOR). Default: `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** The git identity outside CI. Default: `git config user.name` / `user.email`. */
  git?: GitIdentityFn;
  /** Clock. Default: the system clock. */
  now?: () => Date;
}

/**
 * Appends a `revert-drift` line to the hash-chained history (under its lock, carrying the hash of the line before):
 * a deploy is about to overwrite out-of-band changes on purpose. Who is recorded follows the approvals' rules: outside
 * CI the git identity (`approver`), in CI `GITHUB_ACTOR` (`proposer`, source `ci`).
 *
 * @throws ManifestError (exit 2) on a blank reason or no resources, when nobody can be named (CI without
 *   GITHUB_ACTOR, no git identity), when the history is locked or cannot be read.
 * @example
 * appendRevertDrift({ history: 'apps/tap-stack/manifests/history.jsonl', environment: 'prod', reason: 'undo the incident hotfix',
 *   resources: [{ urn: 'urn:pulumi:prod::TapStack::aws:cloudwatch/metricAlarm:MetricAlarm::tap-monitoring-lambda-errors', type: 'aws:cloudwatch/metricAlarm:MetricAlarm', properties: ['threshold'] }] });
 */
export function appendRevertDrift(options: RevertDriftOptions): RevertDriftRecord {
  const reason = options.reason.trim();
  if (reason === '') throw new ManifestError('bad-argument', '--reason', 'is required: say why the out-of-band changes are overwritten');
  if (options.resources.length === 0) throw new ManifestError('bad-argument', 'resources', 'a revert-drift record names at least one drifted resource');
  const identity = resolveIdentity({ env: options.env, git: options.git });
  return withHistoryLock(options.history, () => {
    const record: RevertDriftRecord = {
      kind: 'revert-drift',
      time: (options.now ?? (() => new Date()))().toISOString(),
      environment: options.environment,
      reason,
      ...identity,
      resources: options.resources,
      prevHash: nextPrevHash(options.history),
    };
    appendFileSync(options.history, `${JSON.stringify(record)}\n`);
    return record;
  });
}
