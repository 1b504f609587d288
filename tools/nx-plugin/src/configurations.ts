import type { ProjectGraph } from '@nx/devkit';

/** What an `nx` command line asks for: targets, projects (undefined: every project that has them), a configuration. */
export interface RequestedRun {
  targets: string[];
  projects?: string[];
  configuration?: string;
}

// Nx's own commands: any other first word is a target (`nx deploy tap-stack -c prod`, the infix form).
const NX_COMMANDS = new Set([
  'add', 'affected', 'connect', 'daemon', 'exec', 'format', 'format:check', 'format:write', 'g', 'generate', 'graph',
  'import', 'init', 'list', 'mcp', 'migrate', 'release', 'repair', 'report', 'reset', 'run-many', 'show', 'sync',
  'sync:check', 'view-logs', 'watch', 'login', 'logout', 'register', 'configure-ai-agents',
]);

/** The values of `names` in argv (`--name=v`, `--name v`, `-n v`), every value up to the next flag for lists. */
function optionValues(args: string[], names: string[], list = false): string[] | undefined {
  let found: string[] | undefined;
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].split(/=(.*)/s, 2);
    if (!names.includes(flag)) continue;
    found ??= [];
    if (inline !== undefined) {
      found.push(inline);
      continue;
    }
    while (i + 1 < args.length && !args[i + 1].startsWith('-')) {
      found.push(args[++i]);
      if (!list) break;
    }
  }
  return found?.flatMap((v) => v.split(',')).filter(Boolean);
}

/**
 * The targets, projects and configuration an `nx` command line (process.argv, as Nx hands it to `preTasksExecution`)
 * asks for; undefined when it runs no task.
 *
 * @example
 * requestedRun(['node', 'nx', 'run', 'tap-stack:deploy', '--configuration=qa']);
 * // { targets: ['deploy'], projects: ['tap-stack'], configuration: 'qa' }
 */
export function requestedRun(argv: readonly string[]): RequestedRun | undefined {
  const args = argv.slice(2);
  const command = args.find((a) => !a.startsWith('-'));
  if (command === undefined) return undefined;
  const flagConfiguration = optionValues(args, ['--configuration', '-c'])?.at(-1);
  if (command === 'run') {
    const spec = args[args.indexOf('run') + 1];
    if (spec === undefined || spec.startsWith('-')) return undefined;
    const [project, target, configuration] = spec.split(':');
    return target ? { targets: [target], projects: [project], configuration: configuration ?? flagConfiguration } : undefined;
  }
  if (command === 'run-many' || command === 'affected') {
    const targets = optionValues(args, ['--targets', '--target', '-t'], true) ?? [];
    const projects = command === 'run-many' ? optionValues(args, ['--projects', '-p'], true) : undefined;
    return targets.length > 0 ? { targets, projects, configuration: flagConfiguration } : undefined;
  }
  if (NX_COMMANDS.has(command)) return undefined;
  const rest = args.slice(args.indexOf(command) + 1);
  const project = rest.find((a, i) => !a.startsWith('-') && !['--configuration', '-c'].includes(rest[i - 1] ?? ''));
  return { targets: [command], projects: project ? [project] : undefined, configuration: flagConfiguration };
}

/**
 * One line per requested target that has configurations but not the requested one. Nx itself runs such a target with
 * its default options (for tap-stack: every environment, or a Pulumi command without a stack), so this is the only
 * place the mistake can be caught; `NX_TASK_TARGET_CONFIGURATION` cannot help, Nx resolves an unknown configuration to
 * none before it sets it.
 *
 * @example
 * unknownConfigurations({ targets: ['synth'], projects: ['tap-stack'], configuration: 'qa' }, graph);
 * // ['unknown configuration "qa" for tap-stack:synth: use --configuration=dev|staging|prod, or none for the default']
 */
export function unknownConfigurations(run: RequestedRun, graph: ProjectGraph): string[] {
  if (run.configuration === undefined) return [];
  const problems: string[] = [];
  for (const [name, node] of Object.entries(graph.nodes)) {
    if (run.projects && !run.projects.includes(name)) continue;
    for (const target of run.targets) {
      const configurations = Object.keys(node.data.targets?.[target]?.configurations ?? {});
      if (configurations.length === 0 || configurations.includes(run.configuration)) continue;
      problems.push(
        `unknown configuration "${run.configuration}" for ${name}:${target}: use --configuration=${configurations.join('|')}, or none for the default`,
      );
    }
  }
  return problems;
}
