import type { TargetConfiguration } from '@nx/devkit';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** The wrapper every Pulumi target runs: checks the CLI and the login first, then runs `pulumi <args>`. */
export const PULUMI_RUNNER = 'tools/nx-plugin/bin/pulumi-run.mjs';

/** Policy packs passed to `preview` and `deploy` when their folder holds a `PulumiPolicy.yaml`. */
export const DEFAULT_POLICY_PACKS = ['tools/policy-pack'] as const;

/** One inferred target: the Pulumi sub-command and its non-interactive flags. */
interface PulumiTargetSpec {
  command: string[];
  description: string;
  /** Pass the policy packs (only `preview` and `up` accept `--policy-pack`). */
  policyPacks: boolean;
  /** Also run the same target of the projects this one depends on first (stacks read each other's outputs). */
  upstreamFirst: boolean;
}

// No `drift` target: live drift (refresh preview + deployed vs code, ignore rules, reports) needs the app's synth and
// ignore file, so it is a project.json target of apps/tap-stack running `tap-drift live`.
const TARGETS: Record<string, PulumiTargetSpec> = {
  preview: {
    command: ['preview', '--non-interactive', '--diff'],
    description: 'Show what `pulumi up` would change on the stack.',
    policyPacks: true,
    upstreamFirst: false,
  },
  deploy: {
    command: ['up', '--yes', '--non-interactive', '--skip-preview'],
    // The inferred command refuses `up` (pulumi-run.mjs): a deploy must run its gate in the same process as `up`, so
    // each stack's project.json sets this target's command to its gated runner (apps/tap-stack/src/deploy).
    description: 'Deploy the stack (`pulumi up`), after the stacks it references: only through the gated runner the project sets as this command (the inferred one refuses `up`).',
    policyPacks: true,
    upstreamFirst: true,
  },
  refresh: {
    command: ['refresh', '--yes', '--non-interactive'],
    description: "Update the stack's state from the cloud (`pulumi refresh`).",
    policyPacks: false,
    upstreamFirst: false,
  },
  // No upstreamFirst: destroy must run in the reverse order (dependents first), which Nx cannot express.
  destroy: {
    command: ['destroy', '--yes', '--non-interactive'],
    description: 'Delete every resource of the stack (`pulumi destroy`); destroy dependent stacks first.',
    policyPacks: false,
    upstreamFirst: false,
  },
};

/** Stack names from the `Pulumi.<stack>.yaml` files next to `Pulumi.yaml`, sorted. */
export function pulumiStacks(projectDir: string): string[] {
  return readdirSync(projectDir)
    .map((file) => /^Pulumi\.(.+)\.ya?ml$/.exec(file)?.[1])
    .filter((stack): stack is string => stack !== undefined)
    .sort();
}

function toPosix(path: string): string {
  return path.split(sep).join('/');
}

function hasExplicitBuild(projectDir: string): boolean {
  try {
    const project = JSON.parse(readFileSync(join(projectDir, 'project.json'), 'utf8')) as { targets?: Record<string, unknown> };
    return project.targets?.['build'] !== undefined;
  } catch {
    return false;
  }
}

/**
 * Pulumi targets for every project with a `Pulumi.yaml`: `preview`, `deploy`, `refresh`, `destroy`, each with
 * one configuration per `Pulumi.<stack>.yaml` selecting `--stack <stack>`. They run in the project folder through
 * {@link PULUMI_RUNNER}, are never cached, and first build what the program needs (`^build`, and the project's own
 * `build` when its project.json declares one). `deploy` also deploys the projects it depends on first (declare stacks
 * read through a StackReference as `implicitDependencies`: Nx cannot see those links).
 *
 * @example
 * pulumiTargets('apps/tap-stack', '/repo'); // { preview: {...}, deploy: { configurations: { dev, staging, prod } }, ... }
 */
export function pulumiTargets(
  root: string,
  workspaceRoot: string,
  policyPacks: readonly string[] = DEFAULT_POLICY_PACKS,
): Record<string, TargetConfiguration> {
  const projectDir = join(workspaceRoot, root);
  if (!existsSync(join(projectDir, 'Pulumi.yaml'))) return {};

  const stacks = pulumiStacks(projectDir);
  const runner = toPosix(relative(projectDir, join(workspaceRoot, PULUMI_RUNNER)));
  const packFlags = policyPacks
    .filter((pack) => existsSync(join(workspaceRoot, pack, 'PulumiPolicy.yaml')))
    .flatMap((pack) => ['--policy-pack', toPosix(relative(projectDir, join(workspaceRoot, pack)))]);
  const buildDeps = hasExplicitBuild(projectDir) ? ['^build', 'build'] : ['^build'];

  const targets: Record<string, TargetConfiguration> = {};
  for (const [targetName, spec] of Object.entries(TARGETS)) {
    const base = [...spec.command, ...(spec.policyPacks ? packFlags : [])];
    const commandFor = (stackArgs: string[]) => ['node', runner, ...base, ...stackArgs].join(' ');
    targets[targetName] = {
      executor: 'nx:run-commands',
      // Deployments act on the cloud: a cache hit would skip them silently.
      cache: false,
      dependsOn: spec.upstreamFirst ? [...buildDeps, `^${targetName}`] : [...buildDeps],
      options: { cwd: root, command: commandFor([]) },
      configurations: Object.fromEntries(
        stacks.map((stack) => [stack, { command: commandFor(['--stack', stack]) }]),
      ),
      metadata: {
        description: `${spec.description} Choose the stack with --configuration=<${stacks.join('|')}>.`,
        technologies: ['pulumi'],
      },
    };
  }
  return targets;
}
