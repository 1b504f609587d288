import { carriesToken, inferEnvironmentSuffix, resolveStackContext, resourceNaming, TYPES } from '../../src';
import { find, loadFixture, record, runStack, tags } from '../helpers';

describe('resolveStackContext', () => {
  it('takes the environment from the tap:environment tag, else from the stack name', () => {
    expect(resolveStackContext('urn:pulumi:anything::TapStack::t::n', tags('staging')).environment).toBe('staging');
    expect(resolveStackContext('urn:pulumi:prod-eu::TapStack::t::n', tags()).environment).toBe('prod');
    expect(resolveStackContext('urn:pulumi:dev::TapStack::t::n', tags())).toEqual({
      stackName: 'dev',
      project: 'TapStack',
      environment: 'dev',
      environmentSuffix: undefined,
      prodRules: false,
    });
  });

  it('fails closed: an unknown environment gets prod rules', () => {
    const context = resolveStackContext('urn:pulumi:sandbox::TapStack::t::n', tags());
    expect(context.environment).toBeUndefined();
    expect(context.prodRules).toBe(true);
  });
});

describe('inferEnvironmentSuffix / carriesToken', () => {
  it('takes the majority suffix after -{env}-', () => {
    expect(inferEnvironmentSuffix(['aurora-cluster-dev-001', 'lambda-sg-dev-001', 'x-dev-pr-7', 'dev-db-credentials-001'], 'dev')).toBe('001');
    expect(inferEnvironmentSuffix(['no-env-here'], 'dev')).toBeUndefined();
  });

  it('matches whole name parts only', () => {
    expect(carriesToken('alias/aurora-key-dev-001', 'dev')).toBe(true);
    expect(carriesToken('devops-sg-001', 'dev')).toBe(false);
    expect(carriesToken('aurora-cluster-dev-0011', '001')).toBe(false);
  });
});

describe('resource-naming', () => {
  it('passes the fixture (the Lambda log group fixed without the environment carries the suffix)', () => {
    expect(runStack(resourceNaming, loadFixture()).messages).toEqual([]);
  });

  it('reports a name without the environment and suffix, with the fix', () => {
    // Prepare
    const resources = loadFixture();
    find(resources, 'db-sg').inputs['name'] = 'aurora-sg';
    // Act
    const { messages, urns } = runStack(resourceNaming, resources);
    // Assess
    expect(messages).toEqual([
      `SecurityGroup 'db-sg' has name "aurora-sg" without the environment "dev" and the environment suffix "001". Fix: name it resourceName(type, 'dev', '001') (→ "<type>-dev-001").`,
    ]);
    expect(urns).toEqual([find(resources, 'db-sg').urn]);
  });

  it("checks the cluster's clusterIdentifier and a wrong suffix against the tag's", () => {
    // Prepare
    const resources = loadFixture();
    find(resources, 'db-cluster').inputs['clusterIdentifier'] = 'aurora-cluster-staging-001';
    // Act
    const { messages } = runStack(resourceNaming, resources, tags('dev', '002'));
    // Assess: with suffix 002 from the tag, every name is wrong; the cluster also lacks "dev"
    expect(messages.find((m) => m.startsWith("Cluster 'db-cluster'"))).toBe(
      `Cluster 'db-cluster' has clusterIdentifier "aurora-cluster-staging-001" without the environment "dev" and the environment suffix "002". Fix: name it resourceName(type, 'dev', '002') (→ "<type>-dev-002").`,
    );
    expect(messages.length).toBeGreaterThan(20);
  });

  it('requires the suffix on /aws/lambda/ log groups', () => {
    // Prepare
    const resources = loadFixture();
    find(resources, 'payments-logs').inputs['name'] = '/aws/lambda/payment-processor';
    // Act
    const { messages } = runStack(resourceNaming, resources);
    // Assess
    expect(messages).toEqual([
      `LogGroup 'payments-logs' has name "/aws/lambda/payment-processor" without the environment suffix "001". Fix: name it resourceName(type, 'dev', '001') (→ "<type>-dev-001").`,
    ]);
  });

  it('reports a stack whose environment cannot be told', () => {
    // Prepare
    const resources = [record(TYPES.topic, 't', { name: 'alarms-topic-dev-001' }, 'sandbox')];
    // Act
    const { messages } = runStack(resourceNaming, resources, tags());
    // Assess
    expect(messages).toEqual([
      'The environment of stack sandbox cannot be told, so names cannot be checked. Fix: name the stack dev, staging or prod, or run `pulumi stack tag set tap:environment <env>`.',
    ]);
  });
});
