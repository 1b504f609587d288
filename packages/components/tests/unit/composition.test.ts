import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { ECR_PASSWORD, flush, installMocks, ofType, one, valueOf } from '@tap/pulumi-testing';
import * as components from '../../src';
import { DatabaseComponent, LambdaComponent, MonitoringComponent, NetworkingStack } from '../../src';

const net = (env: string) => ({
  vpcId: `vpc-${env}`,
  vpcCidr: '10.20.0.0/16',
  privateSubnetIds: ['s-a', 's-b', 's-c'],
  publicSubnetIds: ['p-a', 'p-b', 'p-c'],
  availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
});
const mocks = installMocks({
  stackOutputs: {
    'organization/networking-stack/dev': net('dev'),
    'organization/networking-stack/staging': net('staging'),
    'organization/networking-stack/prod': net('prod'),
  },
});

let buildContext: string;
let contextDir: string;
beforeAll(() => {
  contextDir = mkdtempSync(join(tmpdir(), 'tap-components-'));
  // Relative, as a Pulumi program passes it: absolute contexts are refused.
  buildContext = relative(process.cwd(), contextDir);
  writeFileSync(join(contextDir, 'Dockerfile'), 'FROM public.ecr.aws/lambda/nodejs:22\n');
});
afterAll(() => rmSync(contextDir, { recursive: true, force: true }));

describe('@tap/components', () => {
  it('re-exports the component classes and helpers of every component package', () => {
    for (const name of ['NetworkingStack', 'DatabaseComponent', 'LambdaComponent', 'MonitoringComponent', 'contentTag', 'resourceName']) {
      expect(typeof (components as Record<string, unknown>)[name]).toBe('function');
    }
  });

  describe.each([
    ['dev', 100],
    ['staging', 100],
    ['prod', 200],
  ] as const)('composes a %s stack without cycles', (environment, dbConnectionsThreshold) => {
    const p = `stack-${environment}`;
    let fn: LambdaComponent;
    let db: DatabaseComponent;
    let mon: MonitoringComponent;

    beforeAll(async () => {
      const network = new NetworkingStack(`${p}-net`, { environment });
      db = new DatabaseComponent(`${p}-db`, {
        environment,
        environmentSuffix: '001',
        vpcId: network.vpcId,
        privateSubnetIds: network.privateSubnetIds,
        ingressCidrBlocks: [network.vpcCidr],
      });
      fn = new LambdaComponent(`${p}-fn`, {
        environment,
        environmentSuffix: '001',
        buildContext,
        vpcId: network.vpcId,
        privateSubnetIds: network.privateSubnetIds,
        dbSecretArn: db.masterUserSecretArn,
        databaseSecurityGroupId: db.securityGroupId,
        kmsKeyArn: db.kmsKeyArn,
      });
      mon = new MonitoringComponent(`${p}-mon`, {
        environment,
        environmentSuffix: '001',
        functionName: fn.functionName,
        clusterIdentifier: db.clusterIdentifier,
        dbConnectionsThreshold,
      });
      await valueOf(pulumi.all([fn.functionArn, mon.topicArn]));
      await flush(mocks);
    });

    it('wires the database into the VPC, the Lambda to the database, and the alarms to both', async () => {
      // Prepare
      const sgRule = one(mocks, `${p}-db-ingress-cidr`, 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule').inputs;
      const fnInputs = one(mocks, `${p}-fn`, 'aws:lambda/function:Function').inputs;
      const lambdaIngress = one(mocks, `${p}-fn-db-ingress`, 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule').inputs;
      const alarms = ofType(mocks, `${p}-mon`, 'aws:cloudwatch/metricAlarm:MetricAlarm').map((a) => a.inputs);

      // Assess
      expect(sgRule.cidrIpv4).toBe('10.20.0.0/16');
      expect(one(mocks, `${p}-db`, 'aws:rds/subnetGroup:SubnetGroup').inputs.subnetIds).toEqual(['s-a', 's-b', 's-c']);
      expect(fnInputs.environment.variables.DB_SECRET_ARN).toBe(await valueOf(db.masterUserSecretArn));
      expect(lambdaIngress.securityGroupId).toBe(await valueOf(db.securityGroupId));
      expect(lambdaIngress.referencedSecurityGroupId).toBe(await valueOf(fn.securityGroupId));
      expect(alarms.find((a) => a.metricName === 'Errors')?.dimensions.FunctionName).toBe(`payment-processor-${environment}-001`);
      expect(alarms.find((a) => a.metricName === 'DatabaseConnections')?.threshold).toBe(dbConnectionsThreshold);
      expect(alarms.find((a) => a.metricName === 'CPUUtilization')?.dimensions.DBClusterIdentifier).toBe(`aurora-cluster-${environment}-001`);
    });

    it('puts no credential in any output or resource input in plain text', async () => {
      // Prepare: every output a stack would export, and every resource input the engine would store.
      const outputs = await valueOf(
        pulumi.all([db.endpoint, db.masterUserSecretArn, db.kmsKeyArn, fn.imageUri, fn.imageDigest, fn.functionArn, mon.topicArn]),
      );
      const plainInputs = mocks.resources
        .filter((r) => r.name.startsWith(p))
        // The registry block is the one place the ECR token is passed, and it is wrapped as a Pulumi secret.
        .map((r) => (r.type === 'docker:index/image:Image' ? { ...r.inputs, registry: '[secret]' } : r.inputs));

      // Assess
      expect(JSON.stringify(outputs)).not.toContain(ECR_PASSWORD);
      expect(JSON.stringify(plainInputs)).not.toContain(ECR_PASSWORD);
      for (const r of ofType(mocks, p, 'aws:rds/cluster:Cluster')) expect(r.inputs.masterPassword).toBeUndefined();
      const image = one(mocks, `${p}-fn`, 'docker:index/image:Image').inputs;
      expect(image.registry['4dabf18193072939515e22adb298388d']).toBe('1b47061264138c4ac30d75fd1eb44270');
    });
  });
});
