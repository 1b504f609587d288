import { SynthError } from '@tap/synth';

/** What {@link planDeployment} needs of a recorded resource (a `SynthResource` fits). */
export interface PlanInput {
  urn: string;
  type: string;
  name: string;
  /** Custom resources (and reads) are planned; components and the root stack are not. */
  custom: boolean;
  /** URNs the engine waits for (the register request's dependency list). */
  dependencies?: readonly string[];
}

/** `plan.json`: the order in which an engine would create the stack's custom resources. */
export interface DeploymentPlan {
  /**
   * Wave 0 holds the resources without dependencies; wave n those whose dependencies are all in earlier waves and at
   * least one in wave n-1. Each wave's URNs are sorted.
   */
  waves: string[][];
  /** The longest dependency chain (the critical path), first resource first. */
  longestChain: string[];
  counts: {
    /** Planned (custom) resources. */
    resources: number;
    /** Dependency edges between planned resources. */
    dependencies: number;
    waves: number;
    longestChain: number;
    /** Component resources and the root stack: registered, but the engine creates nothing for them. */
    excluded: number;
  };
}

/** The resources' dependencies form a cycle, so no engine could create them; `cycle` lists it, first URN repeated last. */
export class PlanCycleError extends SynthError {
  readonly cycle: string[];

  constructor(cycle: string[]) {
    super(`dependency cycle: ${cycle.map(shortName).join(' → ')}`);
    this.name = 'PlanCycleError';
    this.cycle = cycle;
  }
}

/**
 * A URN's short form for people: the type's module (or package, for `index` modules), the type name and the logical
 * name, e.g. `urn:…::tap:stack:TapStack$aws:kms/key:Key::tap-key` → `kms Key tap-key`.
 *
 * @example
 * shortName('urn:pulumi:dev::TapStack::aws:rds/cluster:Cluster::db'); // 'rds Cluster db'
 */
export function shortName(urn: string): string {
  const parts = urn.split('::');
  const name = parts.slice(3).join('::');
  const type = (parts[2] ?? '').split('$').pop() ?? '';
  const [pkg = '', module = '', resource = ''] = type.split(':');
  const mod = module.split('/')[0];
  return `${mod === 'index' || mod === '' ? pkg : mod} ${resource} ${name}`.trim();
}

/** One cycle among `remaining` (every node there has a dependency there, so walking always finds one). */
function findCycle(remaining: ReadonlySet<string>, deps: ReadonlyMap<string, readonly string[]>): string[] {
  const start = [...remaining].sort()[0];
  const path: string[] = [];
  const at = new Map<string, number>();
  let node = start;
  while (!at.has(node)) {
    at.set(node, path.length);
    path.push(node);
    node = [...(deps.get(node) ?? [])].filter((d) => remaining.has(d)).sort()[0];
  }
  return [...path.slice(at.get(node)), node];
}

/**
 * The creation order of a synthesized stack, as the engine would follow it: a resource is created once every
 * resource in its dependency list exists. Only custom resources are planned: the SDK never lists a component as a
 * dependency (it expands one into its custom children), and the engine creates nothing for components or the root
 * stack. Dependencies on URNs that are not planned (a component) are ignored; on URNs not recorded at all they are an
 * error, as is a cycle (reported, never looped on).
 *
 * @throws PlanCycleError when the dependencies form a cycle; SynthError when a dependency was never registered.
 * @example
 * const plan = planDeployment(run.resources);
 * plan.waves[0]; // resources with no dependencies
 */
export function planDeployment(resources: readonly PlanInput[]): DeploymentPlan {
  const known = new Set(resources.map((r) => r.urn));
  const planned = resources.filter((r) => r.custom);
  const nodes = new Set(planned.map((r) => r.urn));
  const deps = new Map<string, string[]>();
  for (const r of planned) {
    const unknown = (r.dependencies ?? []).filter((d) => !known.has(d));
    if (unknown.length > 0) throw new SynthError(`${r.urn} depends on ${unknown.join(', ')}, which the program never registered`);
    deps.set(r.urn, [...new Set((r.dependencies ?? []).filter((d) => nodes.has(d) && d !== r.urn))].sort());
  }

  // Kahn's algorithm by levels: a node's wave is one more than its latest dependency's.
  const level = new Map<string, number>();
  const waiting = new Map([...deps].map(([urn, d]) => [urn, d.length]));
  const dependents = new Map<string, string[]>();
  for (const [urn, d] of deps) for (const dep of d) dependents.set(dep, [...(dependents.get(dep) ?? []), urn]);
  let current = [...waiting].filter(([, n]) => n === 0).map(([urn]) => urn);
  const waves: string[][] = [];
  while (current.length > 0) {
    const wave = current.sort();
    waves.push(wave);
    const next: string[] = [];
    for (const urn of wave) {
      level.set(urn, waves.length - 1);
      for (const dependent of dependents.get(urn) ?? []) {
        const left = (waiting.get(dependent) ?? 0) - 1;
        waiting.set(dependent, left);
        if (left === 0) next.push(dependent);
      }
    }
    current = next;
  }
  if (level.size < nodes.size) throw new PlanCycleError(findCycle(new Set([...nodes].filter((u) => !level.has(u))), deps));

  // Walk back from the deepest resource through a dependency one wave earlier; ties go to the first URN, so the
  // chain is the same on every run.
  const longestChain: string[] = [];
  let tail: string | undefined = waves[waves.length - 1]?.[0];
  while (tail !== undefined) {
    longestChain.unshift(tail);
    const want: number = (level.get(tail) ?? 0) - 1;
    tail = want < 0 ? undefined : (deps.get(tail) ?? []).find((d) => level.get(d) === want);
  }

  return {
    waves,
    longestChain,
    counts: {
      resources: nodes.size,
      dependencies: [...deps.values()].reduce((n, d) => n + d.length, 0),
      waves: waves.length,
      longestChain: longestChain.length,
      excluded: resources.length - planned.length,
    },
  };
}
