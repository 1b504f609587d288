import { evaluatePolicies, type SynthResource } from '@tap/policy';
import { STACK_PHYSICAL_NAMES } from '@tap/components';
import { AWS_NAME_LIMITS, maxEnvironmentSuffixLength, type NamedResourceType } from '@tap/validation';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, type SynthResult, committedSynth, imageContext, stackConfigFile, synth, tempDir } from '../synthHelper';

/* eslint-disable @typescript-eslint/no-explicit-any -- synthesized inputs are free-form JSON */

type Resource = SynthResource & { custom?: boolean };

/** Every URN `urn` waits for, directly or through its dependencies: the order the engine follows. */
function waitsFor(resources: Resource[], urn: string): Set<string> {
  const deps = new Map(resources.map((r) => [r.urn, r.dependencies ?? []]));
  const seen = new Set<string>();
  const stack = [...(deps.get(urn) ?? [])];
  while (stack.length > 0) {
    const next = stack.pop() as string;
    if (seen.has(next)) continue;
    seen.add(next);
    stack.push(...(deps.get(next) ?? []));
  }
  return seen;
}

const byType = (resources: Resource[], type: string) => resources.filter((r) => r.type === type);
const named = (resources: Resource[], type: string, name: string) => {
  const found = resources.find((r) => r.type === type && r.name === name);
  if (!found) throw new Error(`no ${type} named ${name}`);
  return found;
};

describe.each(['dev', 'prod'] as const)('the first deployment of %s, in the order the engine would follow', (env) => {
  let run: SynthResult;
  let resources: Resource[];

  beforeAll(() => {
    // Prepare / Act
    run = committedSynth(env);
    resources = run.resources as unknown as Resource[];
  });

  it('runs the migration only after every cluster instance, the 5432/443 rules and the application secret value exist', () => {
    // Prepare
    const invocation = named(resources, 'aws:lambda/invocation:Invocation', 'tap-payments-migrate-invocation');
    const before = waitsFor(resources, invocation.urn);
    const rules = [...byType(resources, 'aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule'), ...byType(resources, 'aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule')]
      .filter((r) => r.name.startsWith('tap-payments-'));

    // Assess
    expect(run.code).toBe(0);
    const instances = byType(resources, 'aws:rds/clusterInstance:ClusterInstance');
    expect(instances).toHaveLength(env === 'prod' ? 2 : 1);
    for (const instance of instances) expect(before).toContain(instance.urn);
    expect(rules.map((r) => r.name).sort()).toEqual(['tap-payments-db-ingress', 'tap-payments-egress-db', 'tap-payments-egress-https-0']);
    for (const rule of rules) expect(before).toContain(rule.urn);
    expect(before).toContain(named(resources, 'aws:secretsmanager/secretVersion:SecretVersion', 'tap-secrets-secret-version').urn);
  });

  it('configures rotation only after the migration created the database user, and serves payments only after it', () => {
    // Prepare
    const invocation = named(resources, 'aws:lambda/invocation:Invocation', 'tap-payments-migrate-invocation');
    const rotation = named(resources, 'aws:secretsmanager/secretRotation:SecretRotation', 'tap-secrets-rotation');
    const payments = named(resources, 'aws:lambda/function:Function', 'tap-payments-function');

    // Assess
    expect(waitsFor(resources, rotation.urn)).toContain(invocation.urn);
    expect(waitsFor(resources, payments.urn)).toContain(invocation.urn);
    expect(rotation.inputs['rotationRules']).toEqual({ automaticallyAfterDays: 30 });
  });

  it('creates the Aurora alarms after the instances, and the export log group before the cluster', () => {
    // Prepare
    const instances = byType(resources, 'aws:rds/clusterInstance:ClusterInstance').map((r) => r.urn);
    const cluster = byType(resources, 'aws:rds/cluster:Cluster')[0];
    const logGroup = named(resources, 'aws:cloudwatch/logGroup:LogGroup', 'tap-db-postgresql-logs');

    // Assess
    for (const alarm of ['tap-monitoring-aurora-cpu', 'tap-monitoring-aurora-connections']) {
      const before = waitsFor(resources, named(resources, 'aws:cloudwatch/metricAlarm:MetricAlarm', alarm).urn);
      for (const urn of instances) expect(before).toContain(urn);
    }
    expect(cluster.dependencies).toContain(logGroup.urn);
    expect(logGroup.inputs['retentionInDays']).toBe(30);
  });

  it('encrypts no function environment with a key whose policy does not let Lambda use it', () => {
    // Assess
    for (const fn of byType(resources, 'aws:lambda/function:Function')) expect(fn.inputs['kmsKeyArn']).toBeUndefined();
  });

  it('records the rotation code by content, and secret outputs masked', () => {
    // Prepare
    const rotation = named(resources, 'aws:lambda/function:Function', 'tap-secrets-rotation-function');
    const password = named(resources, 'random:index/randomPassword:RandomPassword', 'tap-secrets-password');

    // Assess: a change to the rotation code must reach the drift gate; the password never reaches a file.
    expect(rotation.inputs['code']).toEqual({ path: '../../packages/secrets/dist/rotation-bundle', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect((password as any).outputs?.result).toBe('[secret]');
  });

  it('keeps HTTPS egress of every function inside the VPC', () => {
    // Prepare
    const vpcCidr = JSON.parse(readFileSync(join(ROOT, 'apps', 'tap-stack', 'fixtures', 'networking', `${env}.json`), 'utf8')).outputs.vpcCidr;
    const https = byType(resources, 'aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule').filter((r) => r.inputs['fromPort'] === 443);

    // Assess
    expect(https.length).toBeGreaterThanOrEqual(2);
    for (const rule of https) expect(rule.inputs['cidrIpv4']).toBe(vpcCidr);
  });

  it('lists every physical name of the synth in STACK_PHYSICAL_NAMES, the components\' names the suffix check reads', () => {
    // Prepare
    const expected = new Set(STACK_PHYSICAL_NAMES.flatMap((entry) => {
      const count = byType(resources, 'aws:rds/clusterInstance:ClusterInstance').length;
      return Array.from({ length: entry.type === 'aws:rds/clusterInstance:ClusterInstance' ? count : 1 }, (_u, i) =>
        `${entry.type}=${entry.name(env, '001', i + 1)}`,
      );
    }));
    const actual = resources
      .filter((r): r is Resource & { type: NamedResourceType } => r.type in AWS_NAME_LIMITS)
      .map((r) => `${r.type}=${String(r.inputs[AWS_NAME_LIMITS[r.type as NamedResourceType].property])}`);

    // Assess: a name the components' lists miss would escape the suffix-length check.
    expect(actual.filter((name) => !expected.has(name))).toEqual([]);
    expect(actual.length).toBeGreaterThan(20);
  });
});

describe('environment suffix at the edge of AWS name limits', () => {
  const env = 'staging';
  const max = maxEnvironmentSuffixLength(STACK_PHYSICAL_NAMES, env, 1);

  it('synthesizes the longest allowed suffix, and every name passes the policies', () => {
    // Prepare
    const suffix = `s${'1'.repeat(max - 1)}`;
    const run = synth(env, { config: stackConfigFile(env, imageContext(), [`  TapStack:environmentSuffix: "${suffix}"`]) });

    // Act
    const violations = evaluatePolicies(run.resources as unknown as SynthResource[], { stackName: env, environment: env, environmentSuffix: suffix });

    // Assess
    expect(run.code).toBe(0);
    expect(violations.filter((v) => v.enforcementLevel === 'mandatory')).toEqual([]);
    const role = run.resources.find((r) => r.name === 'tap-payments-migrate-role');
    expect(role?.inputs['name']).toHaveLength(64);
  });

  it('refuses a suffix one character longer before any resource is registered, naming the resource, the limit and the maximum', () => {
    // Prepare
    const suffix = `s${'1'.repeat(max)}`;

    // Act
    const run = synth(env, { config: stackConfigFile(env, imageContext(), [`  TapStack:environmentSuffix: "${suffix}"`]) });

    // Assess
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain(
      `environmentSuffix "${suffix}" (${max + 1} characters) is too long for staging: the migration function role would be named "payment-processor-migrate-role-staging-${suffix}" (65 characters) and AWS allows 64; use a suffix of at most ${max} characters`,
    );
    expect(run.stderr).toContain('(0 resources registered before the failure)');
    expect(run.resources).toEqual([]);
  });
});

describe('synth from two checkout paths', () => {
  /** A checkout at `dir` with what the synth reads: the app's stack files, the built outputs, node_modules. */
  function checkout(dir: string): string {
    mkdirSync(join(dir, 'apps'), { recursive: true });
    cpSync(join(ROOT, 'nx.json'), join(dir, 'nx.json'));
    cpSync(join(ROOT, 'apps', 'tap-stack'), join(dir, 'apps', 'tap-stack'), { recursive: true, filter: (src) => !src.includes('node_modules') && !src.includes('/tests') });
    for (const built of [['apps', 'tap-stack'], ['apps', 'payment-processor']]) {
      cpSync(join(ROOT, 'dist', ...built), join(dir, 'dist', ...built), { recursive: true });
    }
    // @tap/secrets with its rotation bundle, linked from node_modules as npm links a workspace package: the program
    // finds the bundle through the package, so each checkout must resolve its own copy.
    const secrets = join(dir, 'packages', 'secrets');
    cpSync(join(ROOT, 'packages', 'secrets', 'package.json'), join(secrets, 'package.json'));
    cpSync(join(ROOT, 'packages', 'secrets', 'dist', 'rotation-bundle'), join(secrets, 'dist', 'rotation-bundle'), { recursive: true });
    mkdirSync(join(dir, 'node_modules', '@tap'), { recursive: true });
    for (const entry of readdirSync(join(ROOT, 'node_modules')).filter((e) => e !== '@tap')) symlinkSync(join(ROOT, 'node_modules', entry), join(dir, 'node_modules', entry));
    for (const entry of readdirSync(join(ROOT, 'node_modules', '@tap'))) {
      symlinkSync(entry === 'secrets' ? secrets : join(ROOT, 'node_modules', '@tap', entry), join(dir, 'node_modules', '@tap', entry));
    }
    return dir;
  }

  it('gives identical resources.json, the image build inputs included', () => {
    // Prepare: two checkouts whose paths differ in depth and length.
    const a = checkout(tempDir('checkout'));
    const b = checkout(join(tempDir('elsewhere'), 'deeper', 'tap-infrastructure'));

    // Act
    const synthIn = (dir: string) => {
      const run = spawnSync(process.execPath, [join(dir, 'dist', 'apps', 'tap-stack', 'tap-synth.js'), '--environment', 'dev'], { cwd: dir, encoding: 'utf8' });
      expect(run.stderr).toBe('');
      return readFileSync(join(dir, 'dist', 'apps', 'tap-stack', 'synth', 'dev', 'resources.json'), 'utf8');
    };
    const [fromA, fromB] = [synthIn(a), synthIn(b)];

    // Assess
    expect(fromA).toBe(fromB);
    expect(fromA).not.toContain(a);
    const image = (JSON.parse(fromA) as any[]).find((r) => r.type === 'docker:index/image:Image');
    expect(image.inputs.build).toMatchObject({ context: '../../dist/apps/payment-processor', dockerfile: '../../dist/apps/payment-processor/Dockerfile' });
  });
});
