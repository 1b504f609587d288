import {
  actionMatches,
  iamNoManagedPolicyAttachments,
  iamNoPassRoleWildcard,
  iamNoWildcardActions,
  iamNoWildcardResources,
  parsePolicyDocument,
  TYPES,
} from '../../src';
import { record, runResource } from '../helpers';

const doc = (...Statement: Record<string, unknown>[]) => ({ Version: '2012-10-17', Statement });
const rolePolicy = (policy: unknown) => record(TYPES.rolePolicy, 'payments-role-policy', { name: 'payment-processor-policy-dev-001', role: 'r', policy });
const SCOPED = { Sid: 'ReadSecret', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: ['arn:aws:secretsmanager:us-east-1:1:secret:x-AbCdEf'] };
const ENI = { Sid: 'Eni', Effect: 'Allow', Action: ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DeleteNetworkInterface'], Resource: '*' };

describe('parsePolicyDocument', () => {
  it('reads a JSON string and an object alike, normalising single values to arrays', () => {
    // Prepare
    const value = doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' });
    // Act
    const fromString = parsePolicyDocument(JSON.stringify(value));
    const fromObject = parsePolicyDocument(value);
    // Assess
    expect(fromString).toEqual(fromObject);
    expect(fromObject).toEqual({
      ok: true,
      statements: [{ sid: undefined, effect: 'Allow', actions: ['s3:GetObject'], notActions: [], resources: ['arn:aws:s3:::b/*'], notResources: [], hasPrincipal: false }],
    });
  });

  it('explains invalid JSON and a "[secret]" placeholder', () => {
    expect(parsePolicyDocument('{nope')).toEqual({ ok: false, reason: expect.stringContaining('it is not valid JSON') });
    expect(parsePolicyDocument('[secret]')).toEqual({ ok: false, reason: expect.stringContaining('it is marked secret') });
  });
});

describe('actionMatches', () => {
  it.each([
    ['iam:PassRole', 'iam:PassRole', true],
    ['iam:*', 'iam:PassRole', true],
    ['IAM:pass*', 'iam:PassRole', true],
    ['*', 'iam:PassRole', true],
    ['iam:Get*', 'iam:PassRole', false],
  ])('%s matches %s: %s', (pattern, action, expected) => {
    expect(actionMatches(pattern, action)).toBe(expected);
  });
});

describe('iam-no-managed-policy-attachments', () => {
  it('passes a role with inline policies only', () => {
    expect(runResource(iamNoManagedPolicyAttachments, record(TYPES.role, 'role', { name: 'r-dev-001', assumeRolePolicy: '{}' })).messages).toEqual([]);
  });

  it('reports RolePolicyAttachment, PolicyAttachment and managedPolicyArns', () => {
    // Prepare
    const arn = 'arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole';
    // Act
    const attachment = runResource(iamNoManagedPolicyAttachments, record(TYPES.rolePolicyAttachment, 'vpc-access', { role: 'r', policyArn: arn })).messages;
    const legacy = runResource(iamNoManagedPolicyAttachments, record(TYPES.policyAttachment, 'legacy', { name: 'x', policyArn: arn, roles: ['r'] })).messages;
    const onRole = runResource(iamNoManagedPolicyAttachments, record(TYPES.role, 'role', { managedPolicyArns: [arn] })).messages;
    // Assess
    expect(attachment).toEqual([
      `RolePolicyAttachment 'vpc-access' attaches managed policy ${arn}. Fix: grant the exact actions on the exact ARNs in an inline policy (aws.iam.RolePolicy) instead.`,
    ]);
    expect(legacy[0]).toContain(`PolicyAttachment 'legacy' (x) attaches managed policy ${arn}.`);
    expect(onRole[0]).toContain(`Role 'role' attaches managed policies ${arn} through managedPolicyArns.`);
  });

  it('is not applicable to other types', () => {
    expect(runResource(iamNoManagedPolicyAttachments, record(TYPES.kmsKey, 'k', {})).notApplicable).toBe('not an IAM role or policy attachment');
  });
});

describe('iam-no-wildcard-actions', () => {
  it('passes named actions, and a Deny with "*"', () => {
    expect(runResource(iamNoWildcardActions, rolePolicy(JSON.stringify(doc(SCOPED, { Effect: 'Deny', Action: '*', Resource: '*' })))).messages).toEqual([]);
  });

  it('reports "*" and "s3:*" in a JSON string policy', () => {
    // Prepare
    const policy = JSON.stringify(doc(SCOPED, { Sid: 'Everything', Effect: 'Allow', Action: ['*', 's3:*', 'kms:Decrypt'], Resource: ['arn:aws:s3:::b'] }));
    // Act
    const { messages } = runResource(iamNoWildcardActions, rolePolicy(policy));
    // Assess
    expect(messages).toEqual([
      `RolePolicy 'payments-role-policy' (payment-processor-policy-dev-001) statement 'Everything' allows wildcard action(s) "*", "s3:*". Fix: list the exact actions the code calls.`,
    ]);
  });

  it("reports a wildcard in a role's inlinePolicies given as an object, and NotAction", () => {
    // Prepare
    const role = record(TYPES.role, 'role', {
      name: 'r-dev-001',
      inlinePolicies: [{ name: 'inline', policy: doc({ Effect: 'Allow', Action: 'dynamodb:*', Resource: 'arn:aws:dynamodb:::table/t' }, { Effect: 'Allow', NotAction: 'iam:*', Resource: 'arn:x' }) }],
    });
    // Act
    const { messages } = runResource(iamNoWildcardActions, role);
    // Assess
    expect(messages).toEqual([
      `Role 'role' (r-dev-001) inline policy 'inline' statement #1 allows wildcard action(s) "dynamodb:*". Fix: list the exact actions the code calls.`,
      "Role 'role' (r-dev-001) inline policy 'inline' statement #2 allows every action except iam:* (NotAction with Allow). Fix: list the exact actions under Action.",
    ]);
  });

  it('reports a policy it cannot read', () => {
    // Act
    const { messages } = runResource(iamNoWildcardActions, rolePolicy('[secret]'));
    // Assess
    expect(messages).toEqual([
      "RolePolicy 'payments-role-policy' (payment-processor-policy-dev-001) cannot be checked: it is marked secret, so it cannot be reviewed (policies are not secrets: do not wrap them in pulumi.secret). Fix: give the policy as a JSON document.",
    ]);
  });
});

describe('iam-no-wildcard-resources', () => {
  it('passes scoped statements and the VPC network-interface actions on "*"', () => {
    expect(runResource(iamNoWildcardResources, rolePolicy(JSON.stringify(doc(SCOPED, ENI)))).messages).toEqual([]);
  });

  it('reports another action sharing the "*" statement, and NotResource', () => {
    // Prepare
    const policy = doc({ ...ENI, Action: [...ENI.Action, 'secretsmanager:GetSecretValue'] }, { Sid: 'Not', Effect: 'Allow', Action: 'kms:Decrypt', NotResource: 'arn:aws:kms:::key/x' });
    // Act
    const { messages } = runResource(iamNoWildcardResources, rolePolicy(policy));
    // Assess
    expect(messages).toEqual([
      `RolePolicy 'payments-role-policy' (payment-processor-policy-dev-001) statement 'Eni' grants secretsmanager:GetSecretValue on Resource "*". Fix: scope the statement to the exact ARNs; only the VPC network-interface actions (and secretsmanager:GetRandomPassword) may use "*", in a statement of their own.`,
      "RolePolicy 'payments-role-policy' (payment-processor-policy-dev-001) statement 'Not' applies to every resource except arn:aws:kms:::key/x (NotResource with Allow). Fix: list the exact ARNs under Resource.",
    ]);
  });
});

describe('iam-no-passrole-wildcard', () => {
  it('passes iam:PassRole on a named role', () => {
    const policy = doc({ Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::123456789012:role/payment-processor-role-dev-001' });
    expect(runResource(iamNoPassRoleWildcard, rolePolicy(policy)).messages).toEqual([]);
  });

  it.each([['*'], ['arn:aws:iam::123456789012:role/*'], ['arn:aws:iam::*:role/x']])('reports iam:PassRole on %s', (resource) => {
    // Prepare
    const policy = doc({ Sid: 'Pass', Effect: 'Allow', Action: ['iam:PassRole'], Resource: resource });
    // Act
    const { messages } = runResource(iamNoPassRoleWildcard, rolePolicy(policy));
    // Assess
    expect(messages).toEqual([
      `RolePolicy 'payments-role-policy' (payment-processor-policy-dev-001) statement 'Pass' allows iam:PassRole on ${resource}, which lets its holder hand any role to a service. Fix: name the exact role ARN(s) it passes.`,
    ]);
  });

  it('reports iam:* on "*" as PassRole too', () => {
    const { messages } = runResource(iamNoPassRoleWildcard, rolePolicy(doc({ Effect: 'Allow', Action: 'iam:*', Resource: '*' })));
    expect(messages[0]).toContain('allows iam:PassRole on *');
  });
});
