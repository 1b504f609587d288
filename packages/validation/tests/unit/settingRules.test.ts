import {
  backupRetentionProblem,
  clusterInstanceCountProblem,
  errorThresholdProblem,
  lambdaMemoryProblem,
  lambdaTimeoutProblem,
  latencyBelowTimeoutProblem,
  logRetentionProblem,
  percentThresholdProblem,
  positiveThresholdProblem,
  reservedConcurrencyProblem,
  rotationDaysProblem,
} from '../../src';

// Each rule: the edges it accepts, the values just past them, and a non-integer, in one table.
const cases: [string, (value: number) => string | undefined, number[], number[]][] = [
  ['lambda memory', lambdaMemoryProblem, [128, 1024, 10240], [127, 10241, 1024.5, Number.NaN]],
  ['lambda timeout', lambdaTimeoutProblem, [1, 30, 900], [0, 901, 1.5]],
  ['reserved concurrency', reservedConcurrencyProblem, [1, 50], [0, -1, 2.5]],
  ['error threshold', errorThresholdProblem, [0, 3], [-1, 0.5]],
  ['latency or connections threshold', positiveThresholdProblem, [1, 2000], [0, -5, 1.5]],
  ['CPU percent threshold', percentThresholdProblem, [1, 80, 99], [0, 100, 80.5]],
  ['log retention', logRetentionProblem, [1, 30, 365, 3653], [0, 2, 31, 3654]],
  ['backup retention', backupRetentionProblem, [1, 7, 35], [0, 36, 7.5]],
  ['rotation interval', rotationDaysProblem, [1, 30, 1000], [0, 1001, 30.5]],
  ['cluster instances', clusterInstanceCountProblem, [1, 2, 16], [0, 17, 1.5]],
];

describe('setting rules shared by validation and the components', () => {
  it.each(cases)('%s: accepts its range and refuses values past it', (_name, rule, good, bad) => {
    // Act
    const accepted = good.map(rule);
    const refused = bad.map(rule);
    // Assess
    expect(accepted).toEqual(good.map(() => undefined));
    for (const problem of refused) expect(problem).toMatch(/^must be /);
  });

  it('wants the latency alarm strictly below the timeout', () => {
    // Act / Assess
    expect(latencyBelowTimeoutProblem(29_999, 30)).toBeUndefined();
    expect(latencyBelowTimeoutProblem(30_000, 30)).toBe(
      'must be below the Lambda timeout (30000ms), or slow invocations time out before the alarm sees them',
    );
  });
});
