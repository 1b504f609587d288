import * as pulumi from '@pulumi/pulumi';
import * as debuggable from '@pulumi/pulumi/runtime/debuggable';

/*
 * Runs under the environment it tests (jest.preset.js sets it for every project). The code Jest runs is SWC's output
 * (type-only lines gone, helpers added), whose line numbers are not this file's: a frame mapped through the inline
 * source map names its line in this file, an unmapped frame another.
 */

// Internal to Pulumi (its declarations leave it out): what every promise of a resource goes through.
const { debuggablePromise } = debuggable as unknown as { debuggablePromise: (promise: Promise<unknown>, context: string) => Promise<unknown> };

/** This file's first frame in `stack`. */
interface Frame {
  line: number;
  column: number;
}
type Capture = { stack: string; line: number };

function frameOf(stack: string): Frame | undefined {
  const match = /jestEnvironment\.test\.ts:(\d+):(\d+)/.exec(stack);
  return match ? { line: Number(match[1]), column: Number(match[2]) } : undefined;
}

/** The line of this file that calls it (an ordinary error: mapped, as the first test proves). */
function lineOfCaller(): number {
  return Number(/:(\d+):\d+\)?$/.exec(new Error('where').stack?.split('\n')[2] ?? '')?.[1]);
}

// Each returns the stack it captured and the line of this file that captured it.
function ownError(): Capture {
  const line = lineOfCaller() + 1;
  const stack = new Error('an assertion or a program error').stack ?? '';
  return { stack, line };
}

function pulumiCapture(): Capture {
  const line = lineOfCaller() + 1;
  const promise = Promise.resolve();
  debuggablePromise(promise, 'capture under test');
  return { stack: (promise as Promise<void> & { _debugStackTrace: string })._debugStackTrace, line };
}

function pulumiError(): Capture {
  const line = lineOfCaller() + 2;
  try {
    new pulumi.Config('project').require('absent');
  } catch (error) {
    return { stack: (error as Error).stack ?? '', line };
  }
  return { stack: '', line };
}

describe('the Jest environment of the workspace (tools/pulumi-testing/src/jestEnvironment.ts)', () => {
  it("keeps Jest's source-mapped frames for every error but Pulumi's own captures", () => {
    // Act
    const own = ownError();

    // Assess: the frame names the line of this file that made the error.
    expect(frameOf(own.stack)?.line).toBe(own.line);
  });

  it("formats Pulumi's per-promise stack capture as V8 does, without mapping it through the source maps", () => {
    // Act
    const capture = pulumiCapture();

    // Assess: the capture starts in Pulumi's runtime and reaches this file, at the line of the code Jest runs, not of
    // this file.
    expect(capture.stack.split('\n')[1]).toMatch(/[\\/]@pulumi[\\/]pulumi[\\/]runtime[\\/]debuggable\.js:\d+:\d+\)$/);
    const frame = frameOf(capture.stack);
    expect(frame).toBeDefined();
    expect(frame?.line).not.toBe(capture.line);
  });

  it("maps the frames of Pulumi's real errors (a message) like any other", () => {
    // Act
    const thrown = pulumiError();

    // Assess: made inside @pulumi/pulumi, mapped back to this file's line all the same.
    expect(thrown.stack).toMatch(/^Error: Missing required configuration variable 'project:absent'/);
    expect(thrown.stack.split('\n').find((line) => line.startsWith('    at '))).toMatch(/node_modules[\\/]@pulumi[\\/]/);
    expect(frameOf(thrown.stack)?.line).toBe(thrown.line);
  });
});
