import * as pulumi from '@pulumi/pulumi';
import { createCustomerManagedKey, customerManagedKeyPolicy } from '../../src';
import type { KeyPolicyContext } from '../../src';
import { MOCK_ACCOUNT_ID as ACCOUNT_ID, MOCK_REGION as REGION, setPlatformMocks } from '../../src/testing';
import { Parent, ofType, one, registered, valueOf } from './support';

// The package's own mocks: @tap/pulumi-testing builds on this package, so it cannot be used here.
const mocks = setPlatformMocks({ project: 'tap', stack: 'unit' });
const KEY = 'aws:kms/key:Key';
const ALIAS = 'aws:kms/alias:Alias';

describe('createCustomerManagedKey', () => {
  it('writes the policy for the deployment account, partition and region, with rotation and a 7-day window by default', async () => {
    // Prepare
    const parent = new Parent('plain');
    const seen: KeyPolicyContext[] = [];

    // Act
    const { key, alias } = createCustomerManagedKey(
      'plain-key',
      {
        description: 'plain',
        policy: (context) => {
          seen.push(context);
          return customerManagedKeyPolicy(context, []);
        },
      },
      parent,
    );
    await registered([key, alias]);

    // Assess
    expect(seen).toEqual([{ accountId: ACCOUNT_ID, partition: 'aws', region: REGION }]);
    const inputs = one(mocks, 'plain-key', KEY).inputs;
    expect(inputs).toEqual(expect.objectContaining({ description: 'plain', enableKeyRotation: true, deletionWindowInDays: 7 }));
    expect(inputs).not.toHaveProperty('tags');
    expect(JSON.parse(inputs.policy).Statement.map((s: { Sid: string }) => s.Sid)).toEqual(['AccountRootAdministersKey']);
    expect(alias).toBeUndefined();
    expect(ofType(mocks, 'plain-key', ALIAS)).toHaveLength(0);
    expect(await valueOf(key.urn)).toBe(`urn:pulumi:unit::tap::test:index:Parent$${KEY}::plain-key`);
  });

  it('names the alias after the key and points it at the key, under the same parent', async () => {
    // Prepare
    const parent = new Parent('aliased');

    // Act
    const { key, alias } = createCustomerManagedKey(
      'aliased-key',
      {
        description: 'aliased',
        policy: (context) => customerManagedKeyPolicy(context, []),
        aliasName: 'alias/aliased-dev-001',
        enableKeyRotation: false,
        tags: { Name: 'aliased' },
      },
      parent,
    );
    await registered([key, alias]);

    // Assess
    expect(one(mocks, 'aliased-key', ALIAS).inputs).toEqual({ name: 'alias/aliased-dev-001', targetKeyId: await valueOf(key.keyId) });
    expect(await valueOf(alias?.urn ?? pulumi.output(''))).toBe(`urn:pulumi:unit::tap::test:index:Parent$${ALIAS}::aliased-key-alias`);
    expect(one(mocks, 'aliased-key', KEY).inputs).toEqual(expect.objectContaining({ enableKeyRotation: false, tags: { Name: 'aliased' } }));
  });
});

describe('customerManagedKeyPolicy', () => {
  it('puts the administration statement first, without any use of the key, then the given statements', () => {
    // Prepare
    const use = {
      Sid: 'UseThroughSns',
      Effect: 'Allow' as const,
      Principal: { AWS: `arn:aws:iam::${ACCOUNT_ID}:root` },
      Action: ['kms:Decrypt'],
      Resource: '*' as const,
    };

    // Act
    const policy = JSON.parse(customerManagedKeyPolicy({ accountId: ACCOUNT_ID, partition: 'aws-us-gov', region: REGION }, [use]));

    // Assess
    expect(policy.Version).toBe('2012-10-17');
    expect(policy.Statement).toHaveLength(2);
    const [admin, second] = policy.Statement;
    expect(admin.Principal).toEqual({ AWS: `arn:aws-us-gov:iam::${ACCOUNT_ID}:root` });
    expect(admin.Action).toContain('kms:PutKeyPolicy');
    expect(admin.Action).not.toContain('kms:CreateGrant');
    expect(admin.Action).not.toContain('kms:Decrypt');
    expect(second).toEqual(use);
  });
});
