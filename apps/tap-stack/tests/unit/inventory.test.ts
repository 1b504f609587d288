import { committedSynth, countByType, ofType, type SynthResult } from '../synthHelper';

// The environment contract from the platform issue, written out here rather than read from @tap/validation, so a
// profile change that nobody meant shows up as a failing test.
const EXPECTED = [
  { env: 'dev', region: 'us-east-2', memory: 1024, instanceClass: 'db.t4g.medium', instances: 1, errors: 10, latency: 5000, connections: 100 },
  { env: 'staging', region: 'us-west-2', memory: 2048, instanceClass: 'db.r6g.large', instances: 1, errors: 5, latency: 3000, connections: 100 },
  { env: 'prod', region: 'us-east-1', memory: 4096, instanceClass: 'db.r6g.large', instances: 2, errors: 3, latency: 2000, connections: 200 },
];

describe.each(EXPECTED)('tap-stack $env under mocks', (expected) => {
  const { env, region } = expected;
  let run: SynthResult;

  beforeAll(() => {
    // Prepare / Act
    run = committedSynth(env);
  });

  it('synthesizes without error and reports the validation and hash', () => {
    // Assess
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`synth ${env} (${region}): ${run.resources.length} resources`);
    expect(run.stdout).toContain('validation: passed');
    expect(run.stdout).toContain(`configHash: ${run.manifest.configHash}`);
  });

  it('declares the expected resource inventory', () => {
    // Act
    const counts = countByType(run.resources);
    // Assess
    expect(counts).toMatchObject({
      'pulumi:pulumi:Stack': 1,
      'tap:stack:TapStack': 1,
      'pulumi:pulumi:StackReference': 1,
      'aws:rds/cluster:Cluster': 1,
      'aws:rds/clusterInstance:ClusterInstance': expected.instances,
      // rds.force_ssl = 1
      'aws:rds/clusterParameterGroup:ClusterParameterGroup': 1,
      // payments, its migrations (same image) and the secret rotation
      'aws:lambda/function:Function': 3,
      'aws:lambda/invocation:Invocation': 1,
      'docker:index/image:Image': 1,
      'aws:ecr/repository:Repository': 1,
      'aws:secretsmanager/secret:Secret': 1,
      'aws:secretsmanager/secretRotation:SecretRotation': 1,
      // The alarms are judged by what they watch (below), not by how many there are.
      'aws:sns/topic:Topic': 1,
    });
    expect(run.resources.filter((r) => r.type !== 'pulumi:pulumi:Stack').every((r) => r.parent !== undefined)).toBe(true);
  });

  it(`runs the Lambda with ${expected.memory} MB from a content-addressed image in ${region}`, () => {
    // Act
    const [fn] = ofType(run.resources, 'aws:lambda/function:Function');
    const [image] = ofType(run.resources, 'docker:index/image:Image');
    // Assess
    expect(fn.inputs['memorySize']).toBe(expected.memory);
    expect(fn.inputs['name']).toBe(`payment-processor-${env}-001`);
    expect(fn.inputs['vpcConfig'].subnetIds).toHaveLength(3);
    expect(fn.inputs['imageUri']).toMatch(new RegExp(`^123456789012\\.dkr\\.ecr\\.${region}\\.amazonaws\\.com/payment-processor-${env}-001@sha256:[0-9a-f]{64}$`));
    expect(image.inputs['imageName']).toMatch(/:[0-9a-f]{16}$/);
    expect(image.inputs['registry'].password).toBe('[secret]');
  });

  it(`runs Aurora PostgreSQL on ${expected.instances} x ${expected.instanceClass}`, () => {
    // Act
    const [cluster] = ofType(run.resources, 'aws:rds/cluster:Cluster');
    const instances = ofType(run.resources, 'aws:rds/clusterInstance:ClusterInstance');
    // Assess
    expect(cluster.inputs).toMatchObject({
      clusterIdentifier: `aurora-cluster-${env}-001`,
      engine: 'aurora-postgresql',
      engineVersion: '15.10',
      storageEncrypted: true,
      backupRetentionPeriod: 7,
    });
    expect(instances.map((i) => i.inputs['instanceClass'])).toEqual(Array(expected.instances).fill(expected.instanceClass));
    expect(instances.every((i) => i.inputs['publiclyAccessible'] === false)).toBe(true);
  });

  it('alarms at the environment thresholds, on every function and the cluster, each paging the topic', () => {
    // Act
    const alarms = ofType(run.resources, 'aws:cloudwatch/metricAlarm:MetricAlarm');
    const thresholds = Object.fromEntries(alarms.map((a) => [a.inputs['name'], [a.inputs['metricName'], a.inputs['threshold']]]));
    // Assess: the contract's alarms, none changed or gone (a new alarm adds to them, so no count is pinned).
    expect(thresholds).toMatchObject({
      [`lambda-errors-alarm-${env}-001`]: ['Errors', expected.errors],
      [`lambda-duration-alarm-${env}-001`]: ['Duration', expected.latency],
      [`aurora-cpu-alarm-${env}-001`]: ['CPUUtilization', 80],
      [`aurora-connections-alarm-${env}-001`]: ['DatabaseConnections', expected.connections],
      // Background functions: any error pages, whatever the environment.
      [`rotation-errors-alarm-${env}-001`]: ['Errors', 0],
      [`rotation-duration-alarm-${env}-001`]: ['Duration', 10_000],
      [`migrate-errors-alarm-${env}-001`]: ['Errors', 0],
      [`migrate-duration-alarm-${env}-001`]: ['Duration', 120_000],
    });
    // Every function pages on its errors and its duration, and every alarm (and its recovery) reaches the topic.
    for (const fn of ofType(run.resources, 'aws:lambda/function:Function')) {
      const watched = alarms.filter((a) => a.inputs['dimensions']?.FunctionName === fn.inputs['name']).map((a) => a.inputs['metricName']);
      expect([fn.inputs['name'], watched]).toEqual([fn.inputs['name'], expect.arrayContaining(['Errors', 'Duration'])]);
    }
    const [topic] = ofType(run.resources, 'aws:sns/topic:Topic');
    const topicArn = `arn:aws:sns:${region}:123456789012:${topic.inputs['name']}`;
    for (const alarm of alarms) {
      expect([alarm.inputs['name'], alarm.inputs['alarmActions'], alarm.inputs['okActions']]).toEqual([alarm.inputs['name'], [topicArn], [topicArn]]);
    }
  });

  it('reads the environment networking stack and names every resource with the environment and suffix', () => {
    // Act
    const [ref] = ofType(run.resources, 'pulumi:pulumi:StackReference');
    const physicalNames = run.resources
      .filter((r) => r.custom && r.type !== 'pulumi:pulumi:StackReference')
      .map((r) => r.inputs['name'])
      .filter((name): name is string => typeof name === 'string' && !name.startsWith('/aws/'));
    // Assess
    expect(ref.name).toBe('tap-network-ref');
    expect(ref.inputs['name']).toBe(`organization/networking-stack/${env}`);
    expect(physicalNames.length).toBeGreaterThan(5);
    // The one name the platform issue spells differently: `{environment}-db-credentials-{suffix}`.
    expect(physicalNames.filter((name) => !name.includes(`${env}-001`))).toEqual([`${env}-db-credentials-001`]);
  });

  it('gives the payment Lambda the rotated application secret and the migrations the master secret', () => {
    // Act
    const fns = Object.fromEntries(ofType(run.resources, 'aws:lambda/function:Function').map((f) => [f.inputs['name'], f.inputs]));
    const [secret] = ofType(run.resources, 'aws:secretsmanager/secret:Secret');
    const [rotation] = ofType(run.resources, 'aws:secretsmanager/secretRotation:SecretRotation');
    const [cluster] = ofType(run.resources, 'aws:rds/cluster:Cluster');
    const payments = fns[`payment-processor-${env}-001`];
    const migrate = fns[`payment-processor-migrate-${env}-001`];
    // Assess
    expect(payments['environment'].variables['DB_SECRET_ARN']).toBe(secret.outputs?.['arn']);
    expect(migrate['environment'].variables['APP_DB_SECRET_ARN']).toBe(secret.outputs?.['arn']);
    expect(migrate['environment'].variables['DB_SECRET_ARN']).toBe(cluster.outputs?.['masterUserSecrets'][0].secretArn);
    expect(migrate['imageUri']).toBe(payments['imageUri']);
    expect(migrate['imageConfig']).toEqual({ commands: ['migrate.handler'] });
    expect(rotation.inputs['rotationRules']).toEqual({ automaticallyAfterDays: 30 });
    expect(rotation.inputs['rotationLambdaArn']).toBe(`arn:aws:lambda:${region}:123456789012:function:db-rotation-${env}-001`);
    expect(fns[`db-rotation-${env}-001`]['runtime']).toBe('nodejs22.x');
  });

  it('exports exactly the stack outputs, consistent with the manifest', () => {
    // Assess
    expect(Object.keys(run.outputs).sort()).toEqual(
      ['configHash', 'configManifest', 'databaseEndpoint', 'environmentName', 'environmentSuffixOutput', 'lambdaFunctionArn', 'secretArn'],
    );
    expect(run.outputs['environmentName']).toBe(env);
    expect(run.outputs['environmentSuffixOutput']).toBe('001');
    expect(run.outputs['databaseEndpoint']).toMatch(new RegExp(`^aurora-cluster-${env}-001\\.cluster-[0-9a-f]+\\.${region}\\.rds\\.amazonaws\\.com$`));
    expect(run.outputs['lambdaFunctionArn']).toBe(`arn:aws:lambda:${region}:123456789012:function:payment-processor-${env}-001`);
    expect(run.outputs['secretArn']).toMatch(new RegExp(`^arn:aws:secretsmanager:${region}:123456789012:secret:`));
    expect(run.outputs['configManifest']).toEqual(run.manifest);
    expect(run.outputs['configHash']).toBe(run.manifest.configHash);
    expect(run.manifest.configHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('records the manifest of this environment', () => {
    // Assess
    expect(run.manifest.environment).toBe(env);
    expect(run.manifest.configuration).toMatchObject({
      region,
      environmentSuffix: '001',
      lambda: { memory: expected.memory },
      database: { instanceClass: expected.instanceClass, instanceCount: expected.instances, engineVersion: '15.10' },
      monitoring: { errorThreshold: expected.errors, latencyThresholdMs: expected.latency, dbConnectionsThreshold: expected.connections },
    });
    expect(run.manifest.configuration.docker.imageUri).toMatch(new RegExp(`payment-processor-${env}-001:[0-9a-f]{16}$`));
  });
});
