import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluatePolicies, kmsKeyAdminNoGrants, TYPES, type SynthResource } from '../../src';
import { find, record, runResource } from '../helpers';

const ROOT = 'arn:aws:iam::123456789012:root';
const STEPS =
  'list the administration actions one by one (kms:CreateAlias instead of kms:Create*, never kms:*), and allow kms:CreateGrant only with ' +
  '"Bool": { "kms:GrantIsForAWSResource": "true" } or a kms:ViaService condition.';

const key = (statements: unknown[]) => record(TYPES.kmsKey, 'key', { policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }) });
const admin = (actions: unknown, extra: Record<string, unknown> = {}) => ({ Sid: 'Admin', Effect: 'Allow', Principal: { AWS: ROOT }, Action: actions, Resource: '*', ...extra });

/** Key policies as the database and monitoring components write them today (kms:Create* for the account root). */
function todaysKeys(): SynthResource[] {
  const stack = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'kms-today.json'), 'utf8')) as SynthResource[];
  return [find(stack, 'tap-key'), find(stack, 'tap-monitoring-key')];
}

describe('kms-key-admin-no-grants', () => {
  it.each([['tap-key'], ['tap-monitoring-key']])("flags today's %s: kms:Create* gives the account root CreateGrant", (name) => {
    // Prepare
    const resource = todaysKeys().find((k) => k.name === name) as SynthResource;
    // Act
    const { messages } = runResource(kmsKeyAdminNoGrants, resource);
    // Assess
    expect(messages).toEqual([
      `KMS key '${name}': statement 'AccountRootAdministersKey' (for ${ROOT}) gives kms:CreateGrant (through kms:Create*) without a ` +
        `kms:GrantIsForAWSResource or kms:ViaService condition: any principal of the account allowed kms:CreateGrant can grant itself kms:Decrypt, ` +
        `bypassing the statements that allow use of the key only through AWS services. Fix: ${STEPS}`,
    ]);
  });

  it('passes explicit administration actions and CreateGrant only through services or for AWS resources', () => {
    // Prepare
    const resource = key([
      admin(['kms:CreateAlias', 'kms:Describe*', 'kms:PutKeyPolicy', 'kms:RevokeGrant', 'kms:ListGrants', 'kms:ScheduleKeyDeletion']),
      admin(['kms:Encrypt', 'kms:Decrypt', 'kms:CreateGrant'], { Sid: 'Use', Condition: { StringEquals: { 'kms:ViaService': ['rds.us-east-1.amazonaws.com'] } } }),
      admin('kms:CreateGrant', { Sid: 'Attach', Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } } }),
      { Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'], Resource: '*' },
      { Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
    ]);
    // Act / Assess
    expect(runResource(kmsKeyAdminNoGrants, resource).messages).toEqual([]);
  });

  it.each([
    ['kms:CreateGrant itself', 'kms:CreateGrant', "gives kms:CreateGrant without a"],
    ['kms:Create*', ['kms:Create*', 'kms:Describe*'], 'gives kms:CreateGrant (through kms:Create*) without a'],
    ['kms:*Grant', 'kms:*Grant', 'gives kms:CreateGrant (through kms:*Grant) without a'],
    ['a GrantIsForAWSResource that is false', ['kms:CreateGrant'], 'gives kms:CreateGrant without a'],
    ['a ViaService that names no service', ['kms:CreateGrant'], 'gives kms:CreateGrant without a'],
  ])('flags %s without a restricting condition', (label, actions, expected) => {
    // Prepare
    const conditions: Record<string, unknown> = {
      'a GrantIsForAWSResource that is false': { Bool: { 'kms:GrantIsForAWSResource': 'false' } },
      'a ViaService that names no service': { StringLike: { 'kms:ViaService': '*.amazonaws.com' } },
    };
    const extra = { Condition: conditions[label] ?? { StringEquals: { 'kms:CallerAccount': '123456789012' } } };
    // Act
    const { messages } = runResource(kmsKeyAdminNoGrants, key([admin(actions, extra)]));
    // Assess
    expect(messages).toEqual([expect.stringContaining(`KMS key 'key': statement 'Admin' (for ${ROOT}) ${expected}`)]);
  });

  it.each([
    ['kms:*', 'kms:*', 'grants kms:*:'],
    ['*', '*', 'grants *:'],
    ['NotAction', undefined, 'grants every action but its NotAction list:'],
  ])('flags an admin statement with %s, even behind a ViaService condition', (_label, actions, expected) => {
    // Prepare
    const statement = actions === undefined ? { ...admin([]), Action: undefined, NotAction: 'kms:ScheduleKeyDeletion' } : admin(actions);
    const resource = key([{ ...statement, Condition: { StringEquals: { 'kms:ViaService': 'rds.us-east-1.amazonaws.com' } } }]);
    // Act
    const { messages } = runResource(kmsKeyAdminNoGrants, resource);
    // Assess
    expect(messages).toEqual([`KMS key 'key': statement 'Admin' (for ${ROOT}) ${expected} key administration, kms:CreateGrant and use of the key alike, whatever else the policy restricts. Fix: ${STEPS}`]);
  });

  it('names unnamed statements by position and reports each bad one', () => {
    // Prepare
    const resource = key([{ ...admin('kms:Create*'), Sid: undefined }, { ...admin('kms:*'), Sid: 'Second', Principal: '*' }]);
    // Act
    const { messages } = runResource(kmsKeyAdminNoGrants, resource);
    // Assess
    expect(messages.map((m) => m.split(' gives')[0].split(' grants')[0])).toEqual([`KMS key 'key': statement #1 (for ${ROOT})`, "KMS key 'key': statement 'Second' (for *)"]);
  });

  it('flags a key without a policy: AWS gives it kms:* for the account root', () => {
    // Act
    const { messages } = runResource(kmsKeyAdminNoGrants, record(TYPES.kmsKey, 'bare', { enableKeyRotation: true }));
    // Assess
    expect(messages).toEqual([
      "KMS key 'bare' sets no policy, so AWS gives it the default key policy: kms:* for the account root, which lets any principal of the account " +
        `that IAM allows kms:CreateGrant grant itself decryption. Fix: set a key policy; ${STEPS}`,
    ]);
  });

  it.each([
    ['invalid JSON', '{"Statement": [', /^KMS key 'key' has a policy that cannot be reviewed: it is not valid JSON \(.+\)\. Fix: give the key a JSON key policy\.$/],
    ['a secret', '[secret]', /^KMS key 'key' has a policy that cannot be reviewed: it is marked secret, so it cannot be reviewed\. Fix/],
    ['a statement that is no object', '{"Statement": ["x"]}', /it has a Statement that is not an object/],
  ])('flags a policy that is %s', (_label, policy, expected) => {
    // Act
    const { messages } = runResource(kmsKeyAdminNoGrants, record(TYPES.kmsKey, 'key', { policy }));
    // Assess
    expect(messages).toEqual([expect.stringMatching(expected)]);
  });

  it('reports a policy unknown during preview as advisory', () => {
    // Act
    const violations = evaluatePolicies([record(TYPES.kmsKey, 'key', { policy: '[unknown]' })], { stackName: 'dev', environment: 'dev', policies: [kmsKeyAdminNoGrants] });
    // Assess
    expect(violations.map((v) => [v.enforcementLevel, v.message])).toEqual([
      ['advisory', "can't run policy 'kms-key-admin-no-grants' during preview: string value at .policy can't be known during preview"],
    ]);
  });
});
