import { startStatusFile, type StatusRun } from '../statusFile';

export { workspaceRoot } from '../statusFile';

/** A started deploy, check or approve run's status file. */
export type DeployStatus = StatusRun<'ok' | 'error'>;

/**
 * Writes `running` to `dist/<projectRoot>/status/<target>[-<configuration>].json` now; `finish` writes the outcome.
 *
 * @example
 * const status = startDeployStatus(root, 'apps/networking-stack', 'deploy', 'prod');
 * status.finish('error', 1, 'refusing pulumi up of networking-stack prod: ...');
 */
export function startDeployStatus(root: string, projectRoot: string, target: string, configuration?: string): DeployStatus {
  return startStatusFile<'ok' | 'error'>(root, projectRoot, target, configuration);
}
