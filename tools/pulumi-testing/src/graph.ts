// Records what a program registers, dependencies included, as the engine would receive it: tests of graph rules
// (deploy order) build their stack by running a small program under the mocks instead of writing the graph by hand.
import { recordRegistrations, type SynthResource } from '@tap/synth';

/** One registered resource, the record of the synth's `resources.json`. */
export type GraphResource = SynthResource;

/** What {@link recordGraph} collects. */
export interface GraphRecording {
  resources: GraphResource[];
  /** Resolves once `count` resources are recorded (or rejects after `timeoutMs`). */
  settled(count: number, timeoutMs?: number): Promise<GraphResource[]>;
}

/**
 * Records every registered resource with its dependencies, as the synth does (call right after `installMocks` /
 * `setMocks`).
 *
 * @example
 * installMocks();
 * const graph = recordGraph();
 * new aws.lambda.Invocation('migrate', { functionName: fn.name, input: '{}' });
 * const resources = await graph.settled(2);
 */
export function recordGraph(): GraphRecording {
  const { resources } = recordRegistrations();
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
