import type { EnvironmentName } from '@tap/validation';
import { appendFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { checkManifests } from './check';
import { DEFAULT_HISTORY_FILE } from './constants';
import { ManifestError } from './errors';
import { loadManifestSet, writeFileAtomic } from './io';
import type { ApprovalRecord, ApproveReport, LoadedManifest } from './types';

/** Options of `approveManifests`. */
export interface ApproveOptions {
  /** Baseline directory (or a single baseline file when `current` is one file). Created when missing. */
  baseline: string;
  /** Current manifest file or directory (`<env>.json` files). */
  current: string;
  /** JSON Lines audit log. Default: `approvals.jsonl` in the baseline directory. */
  history?: string;
  /** Clock for the history lines. Default: the system clock. */
  now?: () => Date;
}

/**
 * Accepts the current manifests as the new baselines. Only changed or new environments are written (each
 * atomically); baselines without a current manifest are kept. One history line per written environment is
 * appended BEFORE the baselines move, so an approval can never happen without its audit record.
 *
 * @throws ManifestError on any bad manifest (current or baseline), before anything is written.
 * @example
 * const report = approveManifests({ baseline: 'apps/tap-stack/manifests', current: 'dist/apps/tap-stack/synth' });
 * report.approved.map((r) => r.environment); // ['prod']
 */
export function approveManifests(options: ApproveOptions): ApproveReport {
  const current = loadManifestSet(options.current);
  const currentIsFile = !statSync(options.current).isDirectory();
  const baselineExists = existsSync(options.baseline);
  const baselineIsDir = baselineExists ? statSync(options.baseline).isDirectory() : !currentIsFile;
  if (!currentIsFile && !baselineIsDir) {
    throw new ManifestError('bad-argument', options.baseline, 'is a file, but --current is a directory; give a baseline directory');
  }
  mkdirSync(baselineIsDir ? options.baseline : dirname(options.baseline), { recursive: true });

  const baseline = baselineExists && hasManifests(options.baseline) ? loadManifestSet(options.baseline) : new Map<EnvironmentName, LoadedManifest>();
  const check = checkManifests(baseline, current);
  const historyFile = options.history ?? join(baselineIsDir ? options.baseline : dirname(options.baseline), DEFAULT_HISTORY_FILE);
  const time = (options.now ?? (() => new Date()))().toISOString();

  const approved: ApprovalRecord[] = [];
  const approvedManifests = new Map<string, LoadedManifest>();
  for (const entry of check.environments) {
    const loaded = current.get(entry.environment);
    if ((entry.status !== 'changed' && entry.status !== 'added') || !loaded) continue;
    approvedManifests.set(entry.environment, loaded);
    approved.push({
      time,
      environment: entry.environment,
      oldHash: entry.baselineHash ?? null,
      newHash: loaded.manifest.configHash,
      changedPaths: entry.status === 'added' ? ['*'] : entry.changes.map((change) => change.path),
      // Overwrite the file the baseline came from (it may use the `<env>/manifest.json` layout).
      baselineFile:
        baseline.get(entry.environment)?.file ?? (baselineIsDir ? join(options.baseline, `${entry.environment}.json`) : options.baseline),
      currentFile: loaded.file,
    });
  }
  if (approved.length > 0) {
    mkdirSync(dirname(historyFile), { recursive: true });
    appendFileSync(historyFile, approved.map((record) => `${JSON.stringify(record)}\n`).join(''));
    for (const record of approved) {
      writeFileAtomic(record.baselineFile, `${JSON.stringify(approvedManifests.get(record.environment)?.manifest, null, 2)}\n`);
    }
  }
  return { check, approved, historyFile };
}

/** A baseline directory may legitimately be empty (first approval); a baseline file must load. */
function hasManifests(path: string): boolean {
  if (!statSync(path).isDirectory()) return true;
  try {
    loadManifestSet(path);
    return true;
  } catch (error) {
    if (error instanceof ManifestError && error.code === 'no-manifests') return false;
    throw error;
  }
}
