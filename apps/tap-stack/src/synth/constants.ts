/** Exit codes of the synth CLI. */
export const SYNTH_EXIT_CODES = {
  ok: 0,
  /** The program failed: invalid configuration, a bad networking reference, a component error. */
  programFailed: 1,
  /** Bad input to the synth itself: unknown environment, missing or unreadable config or fixture. */
  badInput: 2,
} as const;
