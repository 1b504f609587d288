import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import { DatabaseComponent, LambdaComponent, MonitoringComponent, SecretsComponent } from '../../src';
import { echoMocks } from '../../src/testing';

// Mocks a team writes without knowing the platform's resources: state = inputs, no ARN, no endpoint, no
// masterUserSecrets. The components must still construct and resolve. (NetworkingStack is left out: a stack
// reference without outputs is an error it reports by design.)
void pulumi.runtime.setMocks(echoMocks(), 'consumer', 'unit', false);

const valueOf = <T>(output: pulumi.Output<T>): Promise<T> => new Promise((resolve) => output.apply(resolve));

let contextDir: string;
beforeAll(() => {
  contextDir = mkdtempSync(join(tmpdir(), 'tap-echo-'));
  writeFileSync(join(contextDir, 'Dockerfile'), 'FROM public.ecr.aws/lambda/nodejs:22\n');
});
afterAll(() => rmSync(contextDir, { recursive: true, force: true }));

describe('the components under mocks that only echo their inputs', () => {
  it('construct database, secrets, function and monitoring, and their outputs resolve', async () => {
    // Prepare
    const environment = 'dev';
    const environmentSuffix = '001';
    const vpcId = 'vpc-echo';
    const privateSubnetIds = ['subnet-a', 'subnet-b', 'subnet-c'];

    // Act
    const db = new DatabaseComponent('echo-db', { environment, environmentSuffix, vpcId, privateSubnetIds });
    const secrets = new SecretsComponent('echo-secrets', {
      environment,
      environmentSuffix,
      kmsKeyArn: db.kmsKeyArn,
      vpcId,
      privateSubnetIds,
      databaseSecurityGroupId: db.securityGroupId,
      httpsEgressCidrBlocks: ['10.0.0.0/16'],
      host: db.endpoint,
      port: db.port,
      dbname: db.databaseName,
    });
    const fn = new LambdaComponent('echo-fn', {
      environment,
      environmentSuffix,
      buildContext: relative(process.cwd(), contextDir),
      vpcId,
      privateSubnetIds,
      dbSecretArn: secrets.secretArn,
      databaseSecurityGroupId: db.securityGroupId,
      kmsKeyArn: db.kmsKeyArn,
    });
    const mon = new MonitoringComponent('echo-mon', { environment, environmentSuffix, functionName: fn.functionName, clusterIdentifier: db.clusterIdentifier });
    const outputs = await valueOf(
      pulumi.all([db.masterUserSecretArn, db.clusterIdentifier, secrets.secretName, secrets.rotationFunctionName, fn.functionName, fn.imageUri, mon.topicArn]),
    );

    // Assess
    expect(outputs.slice(0, 5)).toEqual([
      '',
      'aurora-cluster-dev-001',
      'dev-db-credentials-001',
      'db-rotation-dev-001',
      'payment-processor-dev-001',
    ]);
    expect(typeof outputs[5]).toBe('string');
  });
});
