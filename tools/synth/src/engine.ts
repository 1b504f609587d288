import * as pulumi from '@pulumi/pulumi';
import { SynthError } from './errors';
import type { StackConfig, SynthResource } from './record';
import { recordRegistrations } from './recorder';

/** Inputs of {@link synthesize}. */
export interface SynthOptions {
  /** Pulumi project name (config keys are `project:key`). */
  project: string;
  /** Stack name, e.g. `prod`. */
  stack: string;
  /** Module to run: the program's entry, loaded with `require` exactly as the Pulumi Node.js host loads it. */
  programPath: string;
  /** The stack's config. */
  config: StackConfig;
  /** What answers for the cloud, e.g. `platformMocks({ ids: 'hashed', strict: true })` of `@tap/components/testing`. */
  mocks: pulumi.runtime.Mocks;
}

/** What the program declared: its stack outputs and every registered resource, secrets as "[secret]". */
export interface SynthRun {
  outputs: Record<string, unknown>;
  resources: SynthResource[];
}

/** A failed run: the program's messages and how many resources it had registered (the root stack not counted). */
export class SynthProgramError extends SynthError {
  readonly registeredResources: number;

  constructor(message: string, registeredResources: number) {
    super(message, 'program');
    this.name = 'SynthProgramError';
    this.registeredResources = registeredResources;
  }
}

function message(reason: unknown): string {
  const text = reason instanceof Error ? reason.message : String(reason);
  // The SDK wraps an input's failure once per nesting level; the cause is what a reader needs.
  return text.replace(/^(error serializing property "[^"]*": )+/, '');
}

/**
 * Runs a Pulumi program under the given mocks, inside a root `pulumi:pulumi:Stack` as `pulumi up` would, and
 * returns its outputs and resources. A program that fails rejects with a {@link SynthError} carrying the program's
 * own messages. The Pulumi runtime is process-global: call once per process.
 *
 * @example
 * const run = await synthesize({ project: 'TapStack', stack: 'dev', programPath, config, mocks });
 */
export async function synthesize(options: SynthOptions): Promise<SynthRun> {
  pulumi.runtime.setAllConfig(options.config.values, options.config.secretKeys);
  await pulumi.runtime.setMocks(options.mocks, options.project, options.stack, false);
  const recording = recordRegistrations();

  // Like Pulumi's own runner: one failure rejects several derived promises; keep every distinct message.
  const failures: unknown[] = [];
  const onFailure = (reason: unknown) => failures.push(reason);
  process.on('unhandledRejection', onFailure);
  process.on('uncaughtException', onFailure);
  // A failure inside an apply can leave the stack's outputs pending forever: Node then drains its event loop, which
  // is how a stuck program shows itself here.
  let onDrained: (() => void) | undefined;
  const drained = new Promise<'drained'>((resolve) => {
    onDrained = () => resolve('drained');
    process.once('beforeExit', onDrained);
  });
  let finished = false;
  try {
    const run = pulumi.runtime.runInPulumiStack(async () => require(options.programPath));
    const result = await Promise.race([run, drained]);
    if (result === 'drained') {
      if (failures.length === 0) failures.push(new SynthError('the program never finished: an output it exports is waiting on a resource or apply that cannot complete'));
    } else {
      finished = true;
    }
  } catch (err) {
    failures.unshift(err);
  } finally {
    if (onDrained) process.off('beforeExit', onDrained);
    // Registrations nobody awaits may still be in flight; let them settle before judging the run.
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
    process.off('unhandledRejection', onFailure);
    process.off('uncaughtException', onFailure);
  }
  const resources = [...recording.resources].sort((a, b) => a.urn.localeCompare(b.urn));
  if (failures.length > 0 || !finished) {
    const registered = resources.filter((r) => r.type !== 'pulumi:pulumi:Stack').length;
    throw new SynthProgramError([...new Set(failures.map(message))].join('\n'), registered);
  }
  const stackUrn = resources.find((r) => r.type === 'pulumi:pulumi:Stack')?.urn ?? '';
  return { outputs: recording.outputs.get(stackUrn) ?? {}, resources };
}
