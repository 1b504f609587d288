import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EnvironmentName } from '@tap/validation';
import { NightlyInputError } from './errors';
import type { NightlyResult } from './issues';

const STATUSES: ReadonlyArray<NightlyResult['status']> = ['in-sync', 'drift', 'error'];

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new NightlyInputError(`${file}: not readable JSON (${(err as Error).message.split('\n')[0]})`);
  }
}

/**
 * One environment's nightly result from the drift job's artifact, `<reports>/nightly-<env>/nightly/`: `<env>.status.json`
 * (the status file of `nx run tap-stack:drift`), `<env>.json` (the report) and `<env>.md` (its Markdown). No status
 * file means the check never ran: an error, never "in sync".
 *
 * @throws NightlyInputError when a file is there but not JSON.
 * @example
 * readNightlyResult('nightly', 'prod', 'https://github.com/tap/platform/actions/runs/1'); // { environment: 'prod', status: 'drift', ... }
 */
export function readNightlyResult(reports: string, environment: EnvironmentName, runUrl: string): NightlyResult {
  const dir = join(reports, `nightly-${environment}`, 'nightly');
  const statusFile = join(dir, `${environment}.status.json`);
  if (!existsSync(statusFile)) return { environment, status: 'error', message: `no ${statusFile}: the drift job left no status`, runUrl };
  const status = readJson(statusFile) as { status?: unknown; message?: unknown };
  const verdict = STATUSES.find((s) => s === status.status) ?? 'error';
  const message = typeof status.message === 'string' ? status.message : undefined;
  const reportFile = join(dir, `${environment}.json`);
  const markdownFile = join(dir, `${environment}.md`);
  return {
    environment,
    status: verdict,
    ...(message ? { message } : {}),
    ...(existsSync(reportFile) ? { report: readJson(reportFile) as NightlyResult['report'] } : {}),
    ...(existsSync(markdownFile) ? { markdown: readFileSync(markdownFile, 'utf8') } : {}),
    runUrl,
  };
}
