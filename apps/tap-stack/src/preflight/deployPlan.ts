import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEPLOY_TARGET, NETWORKING_PROJECT } from './constants';

interface ProjectJson {
  implicitDependencies?: string[];
  targets?: Record<string, { dependsOn?: Array<string | { target?: string; dependencies?: boolean; projects?: string | string[] }>; configurations?: Record<string, unknown> }>;
}

function readProject(file: string): ProjectJson | undefined {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as ProjectJson;
  } catch {
    return undefined;
  }
}

/**
 * Whether `nx run <app>:deploy --configuration=<environment>` deploys the networking stack before the app's own
 * `pulumi up`, read from the project files Nx builds its task graph from: the app depends on networking-stack
 * (`implicitDependencies`), its deploy depends on its dependencies' deploys (`^deploy`, or networking-stack's deploy by
 * name), and networking-stack's deploy has that configuration. Preflight runs beside that deploy, before anything is
 * created, so on an empty account the networking stack it reads does not exist yet, by plan.
 *
 * @example
 * deployCreatesNetworkingFirst('/repo', 'apps/tap-stack', 'prod'); // true
 */
export function deployCreatesNetworkingFirst(root: string, app: string, environment: string): boolean {
  const project = readProject(join(root, app, 'project.json'));
  const networking = readProject(join(root, NETWORKING_PROJECT.root, 'project.json'));
  if (!project || !networking) return false;
  const dependsOn = project.targets?.[DEPLOY_TARGET]?.dependsOn ?? [];
  const ordered = dependsOn.some((dep) =>
    typeof dep === 'string'
      ? dep === `^${DEPLOY_TARGET}`
      : dep.target === DEPLOY_TARGET && (dep.dependencies === true || [dep.projects ?? []].flat().includes(NETWORKING_PROJECT.name)),
  );
  const dependsOnNetworking = (project.implicitDependencies ?? []).includes(NETWORKING_PROJECT.name);
  const configured = Boolean(networking.targets?.[DEPLOY_TARGET]?.configurations?.[environment]);
  return ordered && dependsOnNetworking && configured;
}
