import { installMocks } from '@tap/pulumi-testing';
import { MonitoringComponent, MonitoringComponentError } from '../../src';

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
