// The Jest environment itself: test infrastructure (jest.preset.js loads it), never part of a shipped package.
// eslint-disable-next-line no-restricted-imports
import { TestEnvironment } from 'jest-environment-node';

/** Where a stack capture of Pulumi's own runtime starts: the first frame is in @pulumi/pulumi. */
const PULUMI_RUNTIME = /[\\/]node_modules[\\/]@pulumi[\\/]pulumi[\\/]/;

type Formatter = (error: Error, frames: NodeJS.CallSite[]) => unknown;

/** V8's own format: what `error.stack` reads without a formatter. */
function plain(error: Error, frames: NodeJS.CallSite[]): string {
  const head = `${error.name}${error.message === '' ? '' : `: ${error.message}`}`;
  return frames.length === 0 ? head : `${head}\n    at ${frames.join('\n    at ')}`;
}

/**
 * Jest's node environment, save one thing: the stack captures Pulumi's runtime makes for itself are formatted by V8,
 * not by Jest's source-mapping formatter.
 *
 * Pulumi reads `new Error().stack` for every promise it creates (runtime/debuggable.js: the stack is printed only if
 * the promise leaks) and for every resource's source position (Resource.callsites). Under Jest each read maps every
 * frame through the test's source maps, which cost two thirds of the CPU of a test that builds a stack under the mocks.
 * A capture is Pulumi's own when its error has no message and its first frame is in @pulumi/pulumi; every other error
 * (assertions, a program's own throws, Pulumi's real errors) still gets Jest's mapped frames.
 *
 * @example
 * // jest.preset.js
 * module.exports = { testEnvironment: require('node:path').join(__dirname, 'tools', 'pulumi-testing', 'src', 'jestEnvironment.ts') };
 */
export default class PulumiTestEnvironment extends TestEnvironment {
  constructor(...args: ConstructorParameters<typeof TestEnvironment>) {
    super(...args);
    // Errors made in the test's context consult that context's Error first; without a formatter of its own there,
    // Node falls back to this realm's, which is Jest's (installed on Error after the environment is built, so read at
    // call time).
    const outer = Error as unknown as { prepareStackTrace?: Formatter };
    const inner = this.global['Error'] as unknown as { prepareStackTrace?: Formatter };
    inner.prepareStackTrace = (error, frames) => {
      const first = frames[0]?.getFileName() ?? '';
      if (error.message === '' && PULUMI_RUNTIME.test(first)) return plain(error, frames);
      return typeof outer.prepareStackTrace === 'function' ? outer.prepareStackTrace(error, frames) : plain(error, frames);
    };
  }
}
