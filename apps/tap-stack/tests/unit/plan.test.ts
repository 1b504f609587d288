import { SynthError } from '@tap/synth';
import { PlanCycleError, planDeployment, shortName, type PlanInput } from '../../src/synth/plan';
import { summarizePlan } from '../../src/synth/summary';

const urn = (type: string, name: string, parentType = 'tap:stack:TapStack') => `urn:pulumi:dev::TapStack::${parentType}$${type}::${name}`;
const custom = (type: string, name: string, dependencies: string[] = []): PlanInput => ({ urn: urn(type, name), type, name, custom: true, dependencies });

const KEY = custom('aws:kms/key:Key', 'tap-key');
const SG = custom('aws:ec2/securityGroup:SecurityGroup', 'tap-db-sg');
const CLUSTER = custom('aws:rds/cluster:Cluster', 'tap-db-cluster', [KEY.urn, SG.urn]);
const INSTANCE = custom('aws:rds/clusterInstance:ClusterInstance', 'tap-db-instance-0', [CLUSTER.urn]);
const ALARM = custom('aws:cloudwatch/metricAlarm:MetricAlarm', 'tap-db-cpu', [CLUSTER.urn]);
const STACK: PlanInput = { urn: 'urn:pulumi:dev::TapStack::pulumi:pulumi:Stack::TapStack-dev', type: 'pulumi:pulumi:Stack', name: 'TapStack-dev', custom: false };
const COMPONENT: PlanInput = { urn: urn('tap:database:DatabaseComponent', 'tap-db'), type: 'tap:database:DatabaseComponent', name: 'tap-db', custom: false, dependencies: [] };

describe('planDeployment', () => {
  it('puts each resource one wave after its latest dependency and finds the longest chain', () => {
    // Prepare: listed out of order, so the result cannot just echo the input
    const resources = [ALARM, INSTANCE, STACK, CLUSTER, COMPONENT, SG, KEY];
    // Act
    const plan = planDeployment(resources);
    // Assess
    expect(plan.waves).toEqual([[SG.urn, KEY.urn], [CLUSTER.urn], [ALARM.urn, INSTANCE.urn]]);
    // Ties (key or security group; alarm or instance) go to the first URN in sort order: aws:ec2 < aws:kms, aws:cloudwatch < aws:rds.
    expect(plan.longestChain).toEqual([SG.urn, CLUSTER.urn, ALARM.urn]);
    expect(plan.counts).toEqual({ resources: 5, dependencies: 4, waves: 3, longestChain: 3, excluded: 2 });
  });

  it('ignores dependencies on component resources (never planned) but rejects a URN nobody registered', () => {
    // Prepare
    const onComponent = custom('aws:sns/topic:Topic', 'topic', [COMPONENT.urn]);
    const onGhost = custom('aws:sns/topic:Topic', 'ghost-topic', [urn('aws:kms/key:Key', 'never-registered')]);
    // Act
    const plan = planDeployment([COMPONENT, onComponent]);
    const fail = () => planDeployment([onGhost]);
    // Assess
    expect(plan.waves).toEqual([[onComponent.urn]]);
    expect(fail).toThrow(SynthError);
    expect(fail).toThrow(/ghost-topic depends on .*never-registered, which the program never registered/);
  });

  it('reports a cycle as an error naming it, instead of looping', () => {
    // Prepare: a → b → c → a, plus d depending on the cycle
    const a = urn('aws:sns/topic:Topic', 'a');
    const b = urn('aws:sns/topic:Topic', 'b');
    const c = urn('aws:sns/topic:Topic', 'c');
    const resources = [custom('aws:sns/topic:Topic', 'a', [b]), custom('aws:sns/topic:Topic', 'b', [c]), custom('aws:sns/topic:Topic', 'c', [a]), custom('aws:sns/topic:Topic', 'd', [a]), KEY];
    // Act
    let error: unknown;
    try {
      planDeployment(resources);
    } catch (err) {
      error = err;
    }
    // Assess
    expect(error).toBeInstanceOf(PlanCycleError);
    expect((error as PlanCycleError).cycle).toEqual([a, b, c, a]);
    expect((error as PlanCycleError).message).toBe('dependency cycle: sns Topic a → sns Topic b → sns Topic c → sns Topic a');
  });

  it('drops a resource\'s dependency on itself (the SDK excludes the resource itself from its list)', () => {
    // Prepare
    const self = custom('aws:sns/topic:Topic', 'self', [urn('aws:sns/topic:Topic', 'self')]);
    // Act
    const plan = planDeployment([self]);
    // Assess
    expect(plan.waves).toEqual([[self.urn]]);
  });

  it('plans an empty or component-only stack as zero waves', () => {
    // Act
    const plan = planDeployment([STACK, COMPONENT]);
    // Assess
    expect(plan).toEqual({ waves: [], longestChain: [], counts: { resources: 0, dependencies: 0, waves: 0, longestChain: 0, excluded: 2 } });
  });

  it('gives the same plan for the same graph whatever order the records come in', () => {
    // Act
    const forward = planDeployment([KEY, SG, CLUSTER, INSTANCE, ALARM]);
    const backward = planDeployment([ALARM, INSTANCE, CLUSTER, SG, KEY]);
    // Assess
    expect(JSON.stringify(backward)).toBe(JSON.stringify(forward));
  });
});

describe('shortName', () => {
  it.each([
    ['urn:pulumi:dev::TapStack::tap:stack:TapStack$aws:kms/key:Key::tap-key', 'kms Key tap-key'],
    ['urn:pulumi:dev::TapStack::aws:rds/cluster:Cluster::tap-db-cluster', 'rds Cluster tap-db-cluster'],
    ['urn:pulumi:dev::TapStack::tap:lambda:LambdaComponent$docker:index/image:Image::img', 'docker Image img'],
    ['urn:pulumi:dev::TapStack::pulumi:pulumi:StackReference::net', 'pulumi StackReference net'],
  ])('%s → %s', (input, expected) => {
    expect(shortName(input)).toBe(expected);
  });
});

describe('summarizePlan', () => {
  it('prints the wave count and the longest chain by short type and name', () => {
    // Prepare
    const plan = planDeployment([KEY, CLUSTER, SG, INSTANCE]);
    // Act
    const lines = summarizePlan(plan);
    // Assess
    expect(lines).toEqual([
      '  plan: 4 resources in 3 waves; longest chain: 3 resources',
      `    ec2 SecurityGroup tap-db-sg → rds Cluster tap-db-cluster → rds ClusterInstance tap-db-instance-0`,
    ]);
  });

  it('prints no chain line for an empty plan', () => {
    expect(summarizePlan(planDeployment([]))).toEqual(['  plan: 0 resources in 0 waves; longest chain: 0 resources']);
  });
});
