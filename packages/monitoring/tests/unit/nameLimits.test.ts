import { flush, installMocks, valueOf } from '@tap/pulumi-testing';
import { MonitoringComponent, MonitoringComponentError, monitoringPhysicalNames } from '../../src';

// AWS limits (API references): PutMetricAlarm AlarmName maximum 255; CreateTopic Name "Up to 256 characters";
// CreateLogGroup logGroupName maximum 512. The component refuses a name over its limit before registering anything.

const mocks = installMocks();

describe('MonitoringComponent checks its physical names against AWS limits itself', () => {
  it('refuses a suffix that pushes an alarm name past 255, with the longest suffix that fits', () => {
    // Prepare: "aurora-connections-alarm-prod-" (30) is the longest fixed part: 255 - 30 = 225; "alarms-topic-prod-" + 230
    // is 248 and fits SNS's 256, "lambda-errors-alarm-prod-" + 230 is 255 and fits.
    const suffix = 'd'.repeat(230);
    const before = mocks.resources.length;

    // Act
    const make = () =>
      new MonitoringComponent('mon', {
        environment: 'prod',
        environmentSuffix: suffix,
        functionName: 'payment-processor-prod-001',
        clusterIdentifier: 'aurora-cluster-prod-001',
      });

    // Assess
    expect(make).toThrow(MonitoringComponentError);
    expect(make).toThrow(
      `MonitoringComponent 'mon': lambda duration alarm 'lambda-duration-alarm-prod-${suffix}' is 257 characters; AWS allows 255 (CloudWatch alarm name); the longest environmentSuffix that fits is 225`,
    );
    expect(mocks.resources.slice(before).filter((r) => r.type !== 'tap:monitoring:MonitoringComponent')).toEqual([]);
  });
});

describe('monitoringPhysicalNames', () => {
  it('lists every name the component gives a resource, the additional functions\' alarms included', async () => {
    // Prepare
    const before = mocks.resources.length;

    // Act
    const mon = new MonitoringComponent('mon-names', {
      environment: 'staging',
      environmentSuffix: 'n1',
      functionName: 'payment-processor-staging-n1',
      clusterIdentifier: 'aurora-cluster-staging-n1',
      additionalFunctions: [{ key: 'rotation', functionName: 'db-rotation-staging-n1' }],
    });
    await valueOf(mon.topicArn);
    await flush(mocks);
    const listed = monitoringPhysicalNames(['rotation']).map((entry) => `${entry.type}=${entry.name('staging', 'n1', 1)}`);
    const created = mocks.resources
      .slice(before)
      .filter((r) => typeof r.inputs.name === 'string')
      .map((r) => `${r.type}=${r.inputs.name}`);

    // Assess: a name the list misses would escape the stack's suffix check.
    expect(created.length).toBeGreaterThan(0);
    expect(created.filter((name) => !listed.includes(name))).toEqual([]);
    expect(listed).toContain('aws:cloudwatch/metricAlarm:MetricAlarm=rotation-errors-alarm-staging-n1');
  });
});
