import { countByType, imageContext, ofType, stackConfigFile, synth, type SynthResult } from '../synth-helper';

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
    run = synth(env, { config: stackConfigFile(env, imageContext()) });
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
      'aws:lambda/function:Function': 1,
      'docker:index/image:Image': 1,
      'aws:ecr/repository:Repository': 1,
      'aws:cloudwatch/metricAlarm:MetricAlarm': 4,
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
      engineVersion: '15.4',
      storageEncrypted: true,
      backupRetentionPeriod: 7,
    });
    expect(instances.map((i) => i.inputs['instanceClass'])).toEqual(Array(expected.instances).fill(expected.instanceClass));
    expect(instances.every((i) => i.inputs['publiclyAccessible'] === false)).toBe(true);
  });

  it('alarms at the environment thresholds', () => {
    // Act
    const alarms = Object.fromEntries(
      ofType(run.resources, 'aws:cloudwatch/metricAlarm:MetricAlarm').map((a) => [a.inputs['metricName'], a.inputs['threshold']]),
    );
    // Assess
    expect(alarms).toEqual({
      Errors: expected.errors,
      Duration: expected.latency,
      CPUUtilization: 80,
      DatabaseConnections: expected.connections,
    });
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
    expect(physicalNames.filter((name) => !name.includes(`${env}-001`))).toEqual([]);
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
      database: { instanceClass: expected.instanceClass, instanceCount: expected.instances, engineVersion: '15.4' },
      monitoring: { errorThreshold: expected.errors, latencyThresholdMs: expected.latency, dbConnectionsThreshold: expected.connections },
    });
    expect(run.manifest.configuration.docker.imageUri).toMatch(new RegExp(`payment-processor-${env}-001:[0-9a-f]{16}$`));
  });
});
