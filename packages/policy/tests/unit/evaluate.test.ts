import type { ResourceValidationPolicy, StackValidationPolicy } from '@pulumi/policy';
import { validateResourceOfType } from '@pulumi/policy';
import * as sns from '@pulumi/aws/sns';
import { evaluatePolicies, policies, PolicyEvaluationError, PolicyInputError, TYPES, type SynthResource } from '../../src';
import { loadFixture, record } from '../helpers';

const opts = { stackName: 'dev', environment: 'dev' };

/** A key policy kms-key-admin-no-grants accepts: explicit admin actions, no CreateGrant. */
const KEY_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: ['kms:Describe*', 'kms:PutKeyPolicy'], Resource: '*' }],
});

describe('the policies array', () => {
  it('holds every mandatory policy once, each with a description', () => {
    // Act
    const names = policies.map((p) => p.name);
    // Assess
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(
      expect.arrayContaining([
        'aurora-storage-encrypted-cmk', 'aurora-backup-retention', 'aurora-instance-not-public', 'aurora-private-subnets',
        'aurora-prod-instance-count', 'kms-key-rotation', 'kms-deletion-window', 'secret-encrypted-cmk', 'database-secret-rotation',
        'rotation-function-invoke-permission', 'lambda-in-vpc', 'lambda-reserved-concurrency', 'lambda-function-url-auth', 'lambda-permission-not-public',
        'lambda-log-group-retention', 'lambda-errors-and-duration-alarms', 'lambda-timeout-above-latency-alarm',
        'iam-no-managed-policy-attachments', 'iam-no-wildcard-actions', 'iam-no-wildcard-resources', 'iam-no-passrole-wildcard',
        'security-group-no-public-ingress', 'database-port-ingress-sources', 'log-group-retention', 'alarm-has-actions',
        'sns-topic-encrypted', 'resource-naming', 'kms-key-admin-no-grants', 'kms-key-use', 'aws-name-limits',
      ]),
    );
    expect(policies.every((p) => p.enforcementLevel === 'mandatory' && p.description.length > 10)).toBe(true);
  });
});

describe('evaluatePolicies', () => {
  it('reports resource violations with the resource, the level and the stack', () => {
    // Prepare
    const resources = [record(TYPES.kmsKey, 'k', { enableKeyRotation: false, deletionWindowInDays: 7, policy: KEY_POLICY })];
    // Act
    const violations = evaluatePolicies(resources, opts);
    // Assess
    expect(violations).toEqual([
      {
        policyName: 'kms-key-rotation',
        enforcementLevel: 'mandatory',
        severity: 'high',
        message: "KMS key 'k' does not rotate its key material. Fix: set enableKeyRotation: true.",
        urn: 'urn:pulumi:dev::TapStack::aws:kms/key:Key::k',
        resourceType: TYPES.kmsKey,
        resourceName: 'k',
        stackName: 'dev',
        environment: 'dev',
      },
    ]);
  });

  it('runs custom policies the way the engine does: type filter, notApplicable, disabled, remediate as mandatory', () => {
    // Prepare
    const seen: string[] = [];
    const typed: ResourceValidationPolicy = {
      name: 'typed',
      description: 'd',
      enforcementLevel: 'remediate',
      validateResource: validateResourceOfType(sns.Topic, (_topic, args, report) => {
        seen.push(args.name);
        report('topic seen', 'urn:ignored');
      }),
    };
    const notApplicable: ResourceValidationPolicy = { name: 'na', description: 'd', validateResource: (args) => args.notApplicable('never') };
    const disabled: ResourceValidationPolicy = { name: 'off', description: 'd', enforcementLevel: 'disabled', validateResource: (_a, report) => report('off') };
    const stack: StackValidationPolicy = {
      name: 'stack',
      description: 'd',
      enforcementLevel: 'advisory',
      validateStack: (args, report) => {
        const child = args.resources.find((r) => r.name === 'child');
        report(`parent is ${child?.parent?.name}`, child?.urn);
        report('whole stack');
      },
    };
    const parent = record('tap:monitoring:MonitoringComponent', 'parent', {});
    const child: SynthResource = { ...record(TYPES.topic, 'child', { name: 't' }), parent: parent.urn };
    // Act
    const violations = evaluatePolicies([parent, child, record(TYPES.kmsKey, 'k', {})], { ...opts, policies: [typed, notApplicable, disabled, stack] });
    // Assess
    expect(seen).toEqual(['child']);
    expect(violations.map((v) => [v.policyName, v.enforcementLevel, v.message, v.resourceName ?? null])).toEqual([
      ['typed', 'mandatory', 'topic seen', 'child'],
      ['stack', 'advisory', 'parent is parent', 'child'],
      ['stack', 'advisory', 'whole stack', null],
    ]);
    expect(violations[0].urn).toBe(child.urn);
  });

  it("reports a value unknown during preview as the engine does: advisory, naming the policy", () => {
    // Prepare: the engine's unknown sentinel for strings
    const unknownString = '04da6b54-80e4-46f7-96ec-b56ff0331ba9';
    const resources = [record(TYPES.topic, 't', { name: 'alarms-topic-dev-001', kmsMasterKeyId: unknownString })];
    // Act
    const violations = evaluatePolicies(resources, { ...opts, policies: policies.filter((p) => p.name === 'sns-topic-encrypted') });
    // Assess
    expect(violations).toEqual([
      expect.objectContaining({
        policyName: 'sns-topic-encrypted',
        enforcementLevel: 'advisory',
        message: "can't run policy 'sns-topic-encrypted' during preview: string value at .kmsMasterKeyId can't be known during preview",
      }),
    ]);
  });

  it('treats the synth\'s "[unknown]" like the engine\'s unknown value', () => {
    // Prepare
    const resources = [record(TYPES.kmsKey, 'k', { enableKeyRotation: '[unknown]', deletionWindowInDays: 7, policy: KEY_POLICY })];
    // Act
    const violations = evaluatePolicies(resources, { ...opts, policies: policies.filter((p) => p.name.startsWith('kms-')) });
    // Assess
    expect(violations.map((v) => [v.policyName, v.enforcementLevel, v.message])).toEqual([
      ['kms-key-rotation', 'advisory', "can't run policy 'kms-key-rotation' during preview: string value at .enableKeyRotation can't be known during preview"],
    ]);
  });

  it('turns a crashing policy into a PolicyEvaluationError naming it and the resource', () => {
    // Prepare
    const broken: ResourceValidationPolicy = {
      name: 'broken',
      description: 'd',
      validateResource: () => {
        throw new TypeError('boom');
      },
    };
    // Act / Assess
    expect(() => evaluatePolicies([record(TYPES.topic, 't', {})], { ...opts, policies: [broken] })).toThrow(
      new PolicyEvaluationError("policy 'broken' failed on urn:pulumi:dev::TapStack::aws:sns/topic:Topic::t: boom"),
    );
  });

  it('rejects records that are not synth output and an unknown environment', () => {
    expect(() => evaluatePolicies({} as unknown as SynthResource[], opts)).toThrow(PolicyInputError);
    expect(() => evaluatePolicies([{ urn: 'x', type: 't', name: 'n', inputs: {} }], opts)).toThrow(
      'resources: resource #0 has no "urn" of the form urn:pulumi:<stack>::<project>::<type>::<name>',
    );
    expect(() => evaluatePolicies([{ ...record(TYPES.topic, 't', {}), inputs: null } as unknown as SynthResource], opts)).toThrow('resource #0 has no "inputs" object');
    expect(() => evaluatePolicies(loadFixture(), { stackName: 'qa', environment: 'qa' })).toThrow('environment "qa" must be one of dev, staging, prod');
  });
});
