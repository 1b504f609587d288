import { ResourceNameError, resourceName } from '../../src';

describe('resourceName', () => {
  it.each([
    ['aurora-cluster', 'dev', '001', 'aurora-cluster-dev-001'],
    ['lambda', 'prod', 'pr-42', 'lambda-prod-pr-42'],
    ['kms-key', 'staging', 'a1', 'kms-key-staging-a1'],
  ] as const)('%s/%s/%s -> %s', (type, env, suffix, expected) => {
    // Act + Assess
    expect(resourceName(type, env, suffix)).toBe(expected);
  });

  it.each([
    ['', 'dev', '001', 'resource type ""'],
    ['Aurora', 'dev', '001', 'resource type "Aurora"'],
    ['aurora--cluster', 'dev', '001', 'resource type "aurora--cluster"'],
    ['aurora', 'qa', '001', 'environment "qa" must be one of dev, staging, prod'],
    ['aurora', 'dev', '', 'environment suffix ""'],
    ['aurora', 'dev', 'pr_1', 'environment suffix "pr_1"'],
    ['aurora', 'dev', '-1', 'environment suffix "-1"'],
  ])('rejects %p/%p/%p', (type, env, suffix, message) => {
    // Act + Assess
    expect(() => resourceName(type, env as 'dev', suffix)).toThrow(ResourceNameError);
    expect(() => resourceName(type, env as 'dev', suffix)).toThrow(message);
  });
});
