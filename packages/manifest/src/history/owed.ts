import { ENVIRONMENT_NAMES, type EnvironmentName } from '@tap/validation';
import { isApproval, readHistory } from '../audit';
import { ManifestError } from '../errors';
import type { OwedApproval, OwedReport } from '../types';
import { defaultHistoryFile } from './chain';

/** Options of `owedApprovals`. */
export interface OwedApprovalsOptions {
  /** The history. Default: `history.jsonl` in `baseline`. */
  history?: string;
  /** The baseline directory, for the default history. */
  baseline?: string;
  /** Only this environment. Default: every environment the history approved. */
  environment?: EnvironmentName;
}

/**
 * The approvals each environment's current baseline still owes: the requirements recorded as unmet (`met: false`) on
 * the history lines that approved it, i.e. since that environment's last line whose requirements were all met. A line
 * without recorded requirements (no `approvals`, e.g. before approval rules) neither owes nor settles anything. The
 * gate lists them; the deploy checks them against the merged pull request's reviews.
 *
 * @throws ManifestError (exit 2) when the history cannot be read.
 * @example
 * owedApprovals({ history: 'apps/tap-stack/manifests/history.jsonl', environment: 'prod' }).environments[0].owed;
 * // [{ environment: 'prod', line: 30, rule: 'prod-any-change', group: 'platform-leads', approvals: 2, approvedBy: [], ... }]
 */
export function owedApprovals(options: OwedApprovalsOptions): OwedReport {
  if (!options.history && !options.baseline) {
    throw new ManifestError('bad-argument', '--history', 'give the history file, or --baseline <dir> (its history.jsonl)');
  }
  const history = options.history ?? defaultHistoryFile(options.baseline as string);
  const owed = new Map<EnvironmentName, OwedApproval[]>();
  for (const { line, record } of readHistory(history)) {
    if (!isApproval(record)) continue;
    if (options.environment && record.environment !== options.environment) continue;
    const list = owed.get(record.environment) ?? [];
    owed.set(record.environment, list);
    if (!record.approvals) continue;
    const unmet = record.approvals.requirements.filter((r) => !r.met);
    if (unmet.length === 0) {
      list.splice(0);
      continue;
    }
    for (const r of unmet) {
      list.push({
        environment: record.environment,
        line,
        time: record.time,
        ...(record.reason ? { reason: record.reason } : {}),
        rule: r.rule,
        group: r.group,
        approvals: r.approvals,
        approvedBy: r.approvedBy,
      });
    }
  }
  const environments = ENVIRONMENT_NAMES.filter((e) => owed.has(e)).map((environment) => ({ environment, owed: owed.get(environment) as OwedApproval[] }));
  return { history, owed: environments.some((e) => e.owed.length > 0), environments };
}
