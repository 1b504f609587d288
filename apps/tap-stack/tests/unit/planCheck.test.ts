import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PlanFileError } from '../../src/deploy/errors';
import { PLAN_UNKNOWN, readDeploymentPlan, touchedUrns, type DeploymentPlan, type ResourcePlan } from '../../src/deploy/plan';
import { comparePlanWithInventory } from '../../src/deploy/planCheck';
import { committedInventory, DEPLOY_ACCOUNT, firstDeployPlan, PLAN_SECRET } from '../planHelper';
import { tempDir } from '../synthHelper';

/*
 * The saved plan (`pulumi preview --save-plan`, apitype.DeploymentPlanV1: sdk/go/common/apitype/plan.go) against the
 * committed approved inventory of tap-stack dev. Update plans record unknowns for values computed at deploy time and
 * `pulumi up --plan` accepts any value for them (pkg/resource/deploy/plan.go: "unknown values in the plan accept any
 * value (including no value)"; docs https://www.pulumi.com/docs/iac/guides/basics/update-plans/ Limitations): the
 * comparison accepts an unknown only where the approved value is wired from another resource, and says so.
 */
const INVENTORY = committedInventory('tap-stack', 'dev');
const urnOf = (type: string, name: string) => {
  const urn = Object.keys(INVENTORY.resources).find((u) => INVENTORY.resources[u].type === type && INVENTORY.resources[u].name === name);
  if (!urn) throw new Error(`no ${type} ${name} in the dev inventory`);
  return urn;
};
const FUNCTION = urnOf('aws:lambda/function:Function', 'tap-payments-function');
const ALARM = urnOf('aws:cloudwatch/metricAlarm:MetricAlarm', 'tap-monitoring-aurora-connections');
const TOPIC = urnOf('aws:sns/topic:Topic', 'tap-monitoring-topic');
const KEY = urnOf('aws:kms/key:Key', 'tap-key');
/* eslint-disable @typescript-eslint/no-explicit-any -- plan values are free-form JSON */
const adds = (plan: DeploymentPlan, urn: string): Record<string, any> => plan.resourcePlans?.[urn]?.goal?.inputDiff?.adds as Record<string, any>;

describe('comparePlanWithInventory', () => {
  it('accepts a faithful first deploy, listing what the plan cannot prove (wired unknowns, secrets)', () => {
    // Act
    const verdict = comparePlanWithInventory(firstDeployPlan(INVENTORY), INVENTORY);

    // Assess
    expect(verdict.refusals).toEqual([]);
    expect(verdict.unproven).toEqual(
      expect.arrayContaining([
        { urn: FUNCTION, property: 'environment.variables.DB_SECRET_ARN', message: expect.stringContaining('unknown until deploy') },
        { urn: expect.stringContaining('default_6_66_0'), message: expect.stringContaining("engine's default aws provider") },
      ]),
    );
  });

  it('refuses a Lambda environment variable the synth never set, naming the URN and the property', () => {
    // Prepare: under the engine the function learns where to send data
    const plan = firstDeployPlan(INVENTORY, (plans) => {
      (plans[FUNCTION].goal?.inputDiff?.adds as any).environment.variables.SINK_URL = 'https://collector.example.net';
    });

    // Act
    const verdict = comparePlanWithInventory(plan, INVENTORY);

    // Assess
    expect(verdict.refusals).toEqual([
      { urn: FUNCTION, property: 'environment.variables.SINK_URL', message: `${FUNCTION}: input environment.variables.SINK_URL is set in the plan but not in the approved inventory` },
    ]);
  });

  it('refuses an unknown where the approved value is a constant (cannot prove), accepts one where it is wired', () => {
    // Prepare: the threshold (a constant, 100) unknown; alarmActions (the topic's ARN) unknown as on any first deploy
    const plan = firstDeployPlan(INVENTORY, (plans) => {
      (plans[ALARM].goal?.inputDiff?.adds as any).threshold = PLAN_UNKNOWN;
    });

    // Act
    const verdict = comparePlanWithInventory(plan, INVENTORY);

    // Assess
    expect(verdict.refusals).toEqual([{ urn: ALARM, property: 'threshold', message: expect.stringContaining('threshold cannot be proven: unknown in the plan (computed at deploy time), the constant 100') }]);
    expect(verdict.unproven).toContainEqual({ urn: ALARM, property: 'alarmActions[0]', message: expect.stringContaining('unknown until deploy') });
  });

  it('refuses a known value against a reference the plan can resolve to another value', () => {
    // Prepare: the topic exists (same, its ARN in the plan's state); the alarm notifies another topic
    const topicArn = `arn:aws:sns:us-east-2:${DEPLOY_ACCOUNT}:tap-alerts-dev-001`;
    const plan = firstDeployPlan(INVENTORY, (plans) => {
      plans[TOPIC] = { ...plans[TOPIC], steps: ['same'], state: { arn: topicArn } };
      (plans[ALARM].goal?.inputDiff?.adds as any).alarmActions = [`arn:aws:sns:us-east-2:${DEPLOY_ACCOUNT}:somewhere-else`];
      (plans[ALARM].goal?.inputDiff?.adds as any).okActions = [topicArn];
    });

    // Act
    const verdict = comparePlanWithInventory(plan, INVENTORY);

    // Assess
    expect(verdict.refusals).toEqual([{ urn: ALARM, property: 'alarmActions[0]', message: expect.stringContaining(`not tap-monitoring-topic.arn ("${topicArn}")`) }]);
  });

  it('holds the synth mock account to one deploy account: a second account refuses', () => {
    // Prepare: the key policy grants another account's root (the approved value names the synth's own account)
    const plan = firstDeployPlan(INVENTORY, (plans) => {
      const policy = JSON.parse(adds({ manifest: {}, resourcePlans: plans } as DeploymentPlan, KEY).policy);
      const text = JSON.stringify(policy).replace(`arn:aws:iam::${DEPLOY_ACCOUNT}:root`, 'arn:aws:iam::999999999999:root');
      (plans[KEY].goal?.inputDiff?.adds as any).policy = text;
    });
    const faithful = comparePlanWithInventory(firstDeployPlan(INVENTORY), INVENTORY);

    // Act
    const verdict = comparePlanWithInventory(plan, INVENTORY);

    // Assess
    expect(faithful.refusals).toEqual([]);
    expect(verdict.refusals).toEqual([expect.objectContaining({ urn: KEY, property: expect.stringMatching(/^policy\.Statement\[\d+\]\.Principal\.AWS/) })]);
  });

  it('refuses secrets that changed sides, without printing the plain value', () => {
    // Prepare: a secret where the inventory has a plain value, and a plain value where it has a secret
    const secretUrn = urnOf('aws:secretsmanager/secretVersion:SecretVersion', 'tap-secrets-secret-version');
    expect(INVENTORY.resources[secretUrn].inputs['secretString']).toEqual({ secret: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
    const plan = firstDeployPlan(INVENTORY, (plans) => {
      (plans[ALARM].goal?.inputDiff?.adds as any).metricName = PLAN_SECRET;
      (plans[secretUrn].goal?.inputDiff?.adds as any).secretString = 'hunter2-plain';
    });

    // Act
    const verdict = comparePlanWithInventory(plan, INVENTORY);

    // Assess
    expect(verdict.refusals).toEqual(
      expect.arrayContaining([
        { urn: ALARM, property: 'metricName', message: expect.stringContaining('a secret in the plan where the approved inventory has a plain value') },
        { urn: secretUrn, property: 'secretString', message: expect.stringContaining('a plain value in the plan where the approved inventory has a secret') },
      ]),
    );
    expect(JSON.stringify(verdict)).not.toContain('hunter2-plain');
  });

  it('refuses resource options the approved inventory does not hold, and accepts those it does', () => {
    // Prepare: ignoreChanges on the function (e.g. to keep an out-of-band edit), and the same with it approved
    const plan = firstDeployPlan(INVENTORY, (plans) => {
      plans[FUNCTION].goal = { ...plans[FUNCTION].goal!, ignoreChanges: ['environment'], protect: true };
    });
    const approvingOptions = structuredClone(INVENTORY);
    (approvingOptions.resources[FUNCTION] as any).options = { ignoreChanges: ['environment'], protect: true };

    // Act
    const refused = comparePlanWithInventory(plan, INVENTORY);
    const approved = comparePlanWithInventory(plan, approvingOptions);

    // Assess
    expect(refused.refusals).toEqual([
      { urn: FUNCTION, property: 'options.protect', message: `${FUNCTION}: resource option protect is true in the plan, unset in the approved inventory` },
      { urn: FUNCTION, property: 'options.ignoreChanges', message: `${FUNCTION}: resource option ignoreChanges is ["environment"] in the plan, unset in the approved inventory` },
    ]);
    expect(approved.refusals).toEqual([]);
  });

  it('refuses an approved resource the plan drops or deletes, and a provider the synth never saw; a stack reference is only read', () => {
    // Prepare
    const provider = 'urn:pulumi:dev::TapStack::pulumi:providers:aws::other-account';
    const reference = urnOf('pulumi:pulumi:StackReference', 'tap-network-ref');
    const plan = firstDeployPlan(INVENTORY, (plans) => {
      delete plans[ALARM];
      delete plans[reference];
      plans[TOPIC] = { steps: ['delete'], state: {} };
      plans[provider] = { goal: { type: 'pulumi:providers:aws', name: 'other-account', custom: true, inputDiff: { adds: { region: 'eu-west-1' } } }, steps: ['create'] };
    });

    // Act
    const verdict = comparePlanWithInventory(plan, INVENTORY);

    // Assess
    expect(verdict.refusals.map((f) => f.urn).sort()).toEqual([ALARM, TOPIC, provider].sort());
    expect(verdict.refusals.find((f) => f.urn === TOPIC)?.message).toContain('the plan delete');
    expect(verdict.unproven).toContainEqual({ urn: reference, message: expect.stringContaining('read by the program at deploy time') });
  });

  it('an update: only the changed inputs are in the plan; a removed approved input refuses, an approved change passes', () => {
    // Prepare: the stack exists; the alarm's threshold moves to its approved value, its description is dropped
    const plans: Record<string, ResourcePlan> = Object.fromEntries(Object.keys(INVENTORY.resources).map((urn) => [urn, { goal: firstDeployPlan(INVENTORY).resourcePlans?.[urn]?.goal, steps: ['same'] }]));
    const alarmGoal = { ...plans[ALARM].goal!, inputDiff: { updates: { threshold: 100 }, deletes: ['alarmDescription'] } };
    plans[ALARM] = { goal: alarmGoal, steps: ['update'] };
    for (const urn of Object.keys(plans).filter((u) => u !== ALARM)) plans[urn] = { goal: { ...plans[urn].goal!, inputDiff: {} }, steps: ['same'] };

    // Act
    const verdict = comparePlanWithInventory({ manifest: {}, resourcePlans: plans }, INVENTORY);

    // Assess
    expect(verdict.refusals).toEqual([{ urn: ALARM, property: 'alarmDescription', message: `${ALARM}: the plan removes input alarmDescription, which the approved inventory sets` }]);
  });
});

describe('touchedUrns and readDeploymentPlan', () => {
  it('lists the resources whose steps change something, sorted; same and read are not touched', () => {
    // Prepare
    const plan: DeploymentPlan = {
      manifest: {},
      resourcePlans: {
        'urn:pulumi:dev::P::t:m:T::b': { steps: ['update'] },
        'urn:pulumi:dev::P::t:m:T::a': { steps: ['same'] },
        'urn:pulumi:dev::P::t:m:T::c': { steps: ['read'] },
        'urn:pulumi:dev::P::t:m:T::d': { steps: ['create-replacement', 'replace', 'delete-replaced'] },
        'urn:pulumi:dev::P::t:m:T::0': { steps: ['delete'] },
      },
    };

    // Act
    const touched = touchedUrns(plan);

    // Assess
    expect(touched).toEqual(['urn:pulumi:dev::P::t:m:T::0', 'urn:pulumi:dev::P::t:m:T::b', 'urn:pulumi:dev::P::t:m:T::d']);
  });

  it('reads a saved plan and refuses a missing or foreign file with one line naming it', () => {
    // Prepare
    const dir = tempDir('plan-read');
    const good = join(dir, 'plan.json');
    writeFileSync(good, JSON.stringify(firstDeployPlan(INVENTORY), null, 4));
    const foreign = join(dir, 'foreign.json');
    writeFileSync(foreign, JSON.stringify({ manifest: {}, resourcePlans: { 'not-a-urn': { steps: ['create'] } } }));

    // Act
    const plan = readDeploymentPlan(good);
    const missing = () => readDeploymentPlan(join(dir, 'absent.json'));
    const notPlan = () => readDeploymentPlan(foreign);

    // Assess
    expect(Object.keys(plan.resourcePlans ?? {})).toContain(FUNCTION);
    expect(missing).toThrow(PlanFileError);
    expect(missing).toThrow(/^the update plan \S+absent\.json cannot be used \([^\n]+\): nothing was deployed; run the deploy again$/);
    expect(notPlan).toThrow(/not a Pulumi update plan \(DeploymentPlanV1\): resourcePlans\.not-a-urn: is not a Pulumi URN/);
  });
});
