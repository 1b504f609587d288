/** A setting, its value, and what a rule of `@tap/validation` says about it (`undefined`: the value is fine). */
export type SettingCheck = readonly [setting: string, value: number | string, problem: string | undefined];

/**
 * The message of the first failing check, `{setting} {problem}, got {value}`, so every component words a bad argument
 * the same way as a stack's config validation; `undefined` when every check passes.
 *
 * @example
 * firstSettingProblem([['memorySize', 64, lambdaMemoryProblem(64)]]); // 'memorySize must be an integer from 128 to 10240 MB, got 64'
 */
export function firstSettingProblem(checks: readonly SettingCheck[]): string | undefined {
  const failed = checks.find(([, , problem]) => problem !== undefined);
  return failed === undefined ? undefined : `${failed[0]} ${failed[2]}, got ${failed[1]}`;
}
