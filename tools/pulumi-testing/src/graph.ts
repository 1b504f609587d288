// Records what a program registers, dependencies included, as the engine would receive it: tests of graph rules
// (deploy order) build their stack by running a small program under the mocks instead of writing the graph by hand.
import * as pulumi from '@pulumi/pulumi';

/** One registered resource in the shape of the synth's `resources.json` (and `@tap/policy`'s `SynthResource`). */
export interface GraphResource {
  urn: string;
  type: string;
  name: string;
  parent?: string;
  custom: boolean;
  id?: string;
  inputs: Record<string, unknown>;
  /** What the mocks answered beyond the inputs (e.g. `arn`). */
  outputs?: Record<string, unknown>;
  /** The register request's dependency list, sorted. */
  dependencies: string[];
  /** The request's per-property dependencies (non-empty ones), sorted. */
  propertyDependencies?: Record<string, string[]>;
}

/** What {@link recordGraph} collects. */
export interface GraphRecording {
  resources: GraphResource[];
  /** Resolves once `count` resources are recorded (or rejects after `timeoutMs`). */
  settled(count: number, timeoutMs?: number): Promise<GraphResource[]>;
}

interface Struct {
  toJavaScript(): Record<string, unknown>;
}
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getObject(): Struct | undefined;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): { forEach(callback: (value: { getUrnsList(): string[] }, key: string) => void): void };
}
interface RegisterResponse {
  getUrn(): string;
  getId?(): string;
  getObject?(): Struct | undefined;
}
interface Monitor {
  registerResource(req: RegisterRequest, callback: (err: Error | null, resp?: RegisterResponse) => void): void;
}

/** Wire values as plain JSON: secrets "[secret]", resource references their URN, unknowns "[unknown]". */
function plain(value: unknown): unknown {
  if (value === pulumi.runtime.unknownValue) return '[unknown]';
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const sig = obj[pulumi.runtime.specialSigKey];
    if (sig === pulumi.runtime.specialSecretSig) return '[secret]';
    if (sig === pulumi.runtime.specialResourceSig) return obj['urn'];
    return Object.fromEntries(
      Object.keys(obj)
        .sort()
        .filter((k) => obj[k] !== undefined)
        .map((k) => [k, plain(obj[k])]),
    );
  }
  return value;
}

/**
 * Wraps the mock monitor (call right after `installMocks` / `setMocks`) and records every registered resource with
 * its dependencies. The SDK sends them in the request, a component already expanded into its custom children.
 *
 * @example
 * installMocks();
 * const graph = recordGraph();
 * new aws.lambda.Invocation('migrate', { functionName: fn.name, input: '{}' });
 * const resources = await graph.settled(2);
 */
export function recordGraph(): GraphRecording {
  const resources: GraphResource[] = [];
  const monitor = pulumi.runtime.getMonitor() as unknown as Monitor | undefined;
  if (!monitor) throw new Error('recordGraph: install the mocks first');
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) =>
    register(req, (err, resp) => {
      if (!err && resp) {
        const inputs = plain(req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>;
        const all = plain(resp.getObject?.()?.toJavaScript() ?? {}) as Record<string, unknown>;
        const outputs = Object.fromEntries(Object.entries(all).filter(([k, v]) => k !== 'id' && k !== 'urn' && JSON.stringify(v) !== JSON.stringify(inputs[k])));
        const byProperty: [string, string[]][] = [];
        req.getPropertydependenciesMap().forEach((value, key) => {
          const urns = [...new Set(value.getUrnsList())].sort();
          if (urns.length > 0) byProperty.push([key, urns]);
        });
        byProperty.sort(([a], [b]) => (a < b ? -1 : 1));
        resources.push({
          urn: resp.getUrn(),
          type: req.getType(),
          name: req.getName(),
          ...(req.getParent() ? { parent: req.getParent() } : {}),
          custom: req.getCustom(),
          ...(req.getCustom() && resp.getId?.() ? { id: resp.getId?.() } : {}),
          inputs,
          ...(req.getCustom() && Object.keys(outputs).length > 0 ? { outputs } : {}),
          dependencies: [...new Set(req.getDependenciesList())].sort(),
          ...(byProperty.length > 0 ? { propertyDependencies: Object.fromEntries(byProperty) } : {}),
        });
      }
      callback(err, resp);
    });
  return {
    resources,
    settled: async (count, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      while (resources.length < count) {
        if (Date.now() > deadline) throw new Error(`recordGraph: ${resources.length} of ${count} resources registered after ${timeoutMs} ms`);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      return [...resources].sort((a, b) => (a.urn < b.urn ? -1 : 1));
    },
  };
}
