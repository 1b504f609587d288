import { lambdaMemoryProblem, lambdaTimeoutProblem } from '@tap/validation';
import { firstSettingProblem } from '../../src';

describe('firstSettingProblem', () => {
  it('names the first failing setting, what it must be and the value', () => {
    // Act
    const problem = firstSettingProblem([
      ['memorySize', 512, lambdaMemoryProblem(512)],
      ['timeoutSeconds', 901, lambdaTimeoutProblem(901)],
      ['memorySize', 64, lambdaMemoryProblem(64)],
    ]);

    // Assess
    expect(problem).toBe('timeoutSeconds must be an integer from 1 to 900 seconds, got 901');
  });

  it('is undefined when every check passes', () => {
    // Assess
    expect(firstSettingProblem([['memorySize', 128, lambdaMemoryProblem(128)]])).toBeUndefined();
    expect(firstSettingProblem([])).toBeUndefined();
  });
});
