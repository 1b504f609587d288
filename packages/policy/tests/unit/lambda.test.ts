import { latencyBelowTimeoutProblem } from '@tap/validation';
import {
  functionUrlAuth,
  lambdaAlarmsPolicy,
  lambdaInVpc,
  lambdaLogGroup,
  lambdaPermissionNotPublic,
  lambdaReservedConcurrency,
  lambdaTimeoutAboveLatencyAlarm,
  TYPES,
} from '../../src';
import { find, loadFixture, record, runResource, runStack } from '../helpers';

const fn = (inputs: Record<string, unknown>) => record(TYPES.lambdaFunction, 'payments-function', { name: 'payment-processor-dev-001', ...inputs });

describe('lambda-in-vpc', () => {
  it('passes a function with subnets and a security group', () => {
    expect(runResource(lambdaInVpc, fn({ vpcConfig: { subnetIds: ['subnet-1'], securityGroupIds: ['sg-1'] } })).messages).toEqual([]);
  });

  it('reports a function outside the VPC and one with no security group', () => {
    // Act
    const outside = runResource(lambdaInVpc, fn({})).messages;
    const noGroup = runResource(lambdaInVpc, fn({ vpcConfig: { subnetIds: ['subnet-1'], securityGroupIds: [] } })).messages;
    // Assess
    expect(outside).toEqual([
      "Lambda function 'payments-function' (payment-processor-dev-001) is not in a VPC (0 subnet(s), 0 security group(s)). Fix: set vpcConfig.subnetIds to the private subnets and vpcConfig.securityGroupIds to its own security group.",
    ]);
    expect(noGroup[0]).toContain('(1 subnet(s), 0 security group(s))');
  });
});

describe('lambda-reserved-concurrency', () => {
  it('passes a function with reserved concurrency', () => {
    expect(runResource(lambdaReservedConcurrency, fn({ reservedConcurrentExecutions: 10 })).messages).toEqual([]);
  });

  it.each([[undefined], [-1]])('reports reservedConcurrentExecutions %s (unreserved)', (value) => {
    // Act
    const { messages } = runResource(lambdaReservedConcurrency, fn({ reservedConcurrentExecutions: value }));
    // Assess
    expect(messages).toEqual([
      "Lambda function 'payments-function' (payment-processor-dev-001) has no reserved concurrency. Fix: set reservedConcurrentExecutions (e.g. from the environment profile).",
    ]);
  });
});

describe('lambda-function-url-auth', () => {
  it('passes AWS_IAM', () => {
    expect(runResource(functionUrlAuth, record(TYPES.functionUrl, 'payments-url', { functionName: 'f', authorizationType: 'AWS_IAM' })).messages).toEqual([]);
  });

  it('reports NONE', () => {
    // Act
    const { messages } = runResource(functionUrlAuth, record(TYPES.functionUrl, 'payments-url', { functionName: 'payment-processor-dev-001', authorizationType: 'NONE' }));
    // Assess
    expect(messages).toEqual([
      "Lambda Function URL 'payments-url' of payment-processor-dev-001 has authorizationType NONE, so anyone on the internet can invoke it. Fix: set authorizationType: \"AWS_IAM\" and grant lambda:InvokeFunctionUrl to the callers.",
    ]);
  });
});

describe('lambda-permission-not-public', () => {
  const permission = (inputs: Record<string, unknown>) =>
    record(TYPES.lambdaPermission, 'perm', { action: 'lambda:InvokeFunction', function: 'payment-processor-dev-001', ...inputs });

  it('passes a service principal scoped to the account', () => {
    expect(runResource(lambdaPermissionNotPublic, permission({ principal: 'secretsmanager.amazonaws.com', sourceAccount: '123456789012' })).messages).toEqual([]);
  });

  it('reports principal "*" and an unauthenticated Function URL grant', () => {
    // Act
    const { messages } = runResource(lambdaPermissionNotPublic, permission({ principal: '*', functionUrlAuthType: 'NONE' }));
    // Assess
    expect(messages).toEqual([
      "Lambda permission 'perm' lets any principal invoke payment-processor-dev-001. Fix: set principal to the calling service or account and add sourceAccount/sourceArn.",
      "Lambda permission 'perm' grants unauthenticated Function URL access to payment-processor-dev-001. Fix: use functionUrlAuthType \"AWS_IAM\".",
    ]);
  });
});

describe('lambda-log-group-retention', () => {
  it('passes the fixture: both functions point at declared log groups with retention', () => {
    expect(runStack(lambdaLogGroup, loadFixture()).messages).toEqual([]);
  });

  it('reports a function whose log group is not declared', () => {
    // Prepare
    const resources = loadFixture().filter((r) => r.name !== 'payments-logs');
    // Act
    const { messages, urns } = runStack(lambdaLogGroup, resources);
    // Assess
    expect(messages).toEqual([
      "Lambda function 'payments-function' (payment-processor-dev-001) writes to log group /aws/lambda/payment-processor-001, which this stack does not declare, so Lambda creates it with no retention. Fix: declare an aws.cloudwatch.LogGroup named /aws/lambda/payment-processor-001 with retentionInDays 30 (and point loggingConfig.logGroup at it).",
    ]);
    expect(urns).toEqual([find(resources, 'payments-function').urn]);
  });

  it("uses Lambda's default /aws/lambda/<name> when loggingConfig names no group", () => {
    // Prepare
    const resources = loadFixture();
    delete find(resources, 'secrets-rotation-function').inputs['loggingConfig'];
    // Act / Assess: the rotation group is /aws/lambda/db-rotation-dev-001, the default name
    expect(runStack(lambdaLogGroup, resources).messages).toEqual([]);
  });

  it('reports a declared log group without retention', () => {
    // Prepare
    const resources = loadFixture();
    delete find(resources, 'payments-logs').inputs['retentionInDays'];
    // Act
    const { messages } = runStack(lambdaLogGroup, resources);
    // Assess
    expect(messages).toEqual([
      "Lambda function 'payments-function' (payment-processor-dev-001): its log group 'payments-logs' (/aws/lambda/payment-processor-001) keeps logs forever. Fix: set retentionInDays to 30.",
    ]);
  });
});

describe('lambda-errors-and-duration-alarms', () => {
  it('passes the fixture', () => {
    expect(runStack(lambdaAlarmsPolicy, loadFixture()).messages).toEqual([]);
  });

  it('reports a function without a Duration alarm', () => {
    // Prepare
    const resources = loadFixture().filter((r) => r.name !== 'monitoring-lambda-duration');
    // Act
    const { messages } = runStack(lambdaAlarmsPolicy, resources);
    // Assess
    expect(messages).toEqual([
      "Lambda function 'payments-function' (payment-processor-dev-001) has no Duration alarm. Fix: add an aws.cloudwatch.MetricAlarm on AWS/Lambda Duration with dimensions.FunctionName set to the function's name and an alarm action.",
    ]);
  });

  it('recognises an alarm written with metricQueries', () => {
    // Prepare
    const resources = loadFixture();
    const errors = find(resources, 'monitoring-lambda-errors');
    errors.inputs = {
      name: 'lambda-errors-alarm-dev-001',
      alarmActions: ['arn:aws:sns:us-east-1:123456789012:alarms-topic-dev-001'],
      metricQueries: [{ id: 'e', returnData: true, metric: { namespace: 'AWS/Lambda', metricName: 'Errors', stat: 'Sum', period: 300, dimensions: { FunctionName: 'payment-processor-dev-001' } } }],
    };
    // Act / Assess
    expect(runStack(lambdaAlarmsPolicy, resources).messages).toEqual([]);
  });
});

describe('lambda-timeout-above-latency-alarm', () => {
  it('passes the fixture (30 s timeout, 3000 ms alarm)', () => {
    expect(runStack(lambdaTimeoutAboveLatencyAlarm, loadFixture()).messages).toEqual([]);
  });

  it('reports a timeout at or below the alarm threshold', () => {
    // Prepare
    const resources = loadFixture();
    find(resources, 'payments-function').inputs['timeout'] = 3;
    // Act
    const { messages } = runStack(lambdaTimeoutAboveLatencyAlarm, resources);
    // Assess
    expect(messages).toEqual([
      "Lambda function 'payments-function' (payment-processor-dev-001) times out after 3000 ms, not above its Duration alarm 'monitoring-lambda-duration' (lambda-duration-alarm-dev-001) threshold of 3000 ms, so slow invocations time out before the alarm sees them. Fix: raise timeout or lower the latency threshold.",
    ]);
  });

  it('agrees with validation at the boundary: a threshold 1 ms below the timeout passes, at the timeout it fails', () => {
    // Prepare
    const below = loadFixture();
    find(below, 'payments-function').inputs['timeout'] = 3;
    find(below, 'monitoring-lambda-duration').inputs['threshold'] = 2999;
    const at = loadFixture();
    find(at, 'payments-function').inputs['timeout'] = 3;
    // Act
    const passes = runStack(lambdaTimeoutAboveLatencyAlarm, below).messages;
    const fails = runStack(lambdaTimeoutAboveLatencyAlarm, at).messages;
    // Assess
    expect(passes).toEqual([]);
    expect(latencyBelowTimeoutProblem(2999, 3)).toBeUndefined();
    expect(fails).toHaveLength(1);
    expect(latencyBelowTimeoutProblem(3000, 3)).toBeDefined();
  });

  it('converts an alarm threshold given in seconds', () => {
    // Prepare
    const resources = loadFixture();
    Object.assign(find(resources, 'monitoring-lambda-duration').inputs, { unit: 'Seconds', threshold: 45 });
    // Act
    const { messages } = runStack(lambdaTimeoutAboveLatencyAlarm, resources);
    // Assess
    expect(messages[0]).toContain('times out after 30000 ms, not above');
    expect(messages[0]).toContain('threshold of 45000 ms');
  });
});
