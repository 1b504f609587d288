import * as pulumi from '@pulumi/pulumi';
import { NameLimitError, createCustomerManagedKey, createVpcFunction } from '../../src';
import { setPlatformMocks } from '../../src/testing';
import { Parent } from './support';

// AWS limits (API references): CreateFunction FunctionName maximum 64; CreateAlias AliasName "Minimum length of 1.
// Maximum length of 256". A block is given whole names (no suffix of its own): it says how many characters to cut.

const mocks = setPlatformMocks({ project: 'tap', stack: 'unit' });

describe('blocks check the names they are given against AWS limits', () => {
  it('createVpcFunction refuses a 70-character function name before creating anything', () => {
    // Prepare
    const parent = new Parent('p1');
    const before = mocks.resources.length;
    const functionName = 'f'.repeat(70);

    // Act
    const make = () =>
      createVpcFunction(
        'worker',
        {
          functionName,
          privateSubnetIds: ['subnet-a'],
          network: { securityGroupId: 'sg-1' },
          logGroupName: '/aws/lambda/worker',
          logRetentionDays: 14,
          roleName: 'worker-role',
          policyName: 'worker-policy',
          policy: () => pulumi.output('{}'),
          settings: { runtime: 'nodejs22.x', handler: 'index.handler' },
        },
        parent,
      );

    // Assess
    expect(make).toThrow(NameLimitError);
    expect(make).toThrow(`createVpcFunction 'worker': function name '${functionName}' is 70 characters; AWS allows 64 (Lambda function name); shorten it by 6`);
    expect(mocks.resources.slice(before).filter((r) => r.type.startsWith('aws:'))).toEqual([]);
  });

  it('createCustomerManagedKey refuses an alias over 256 characters', () => {
    // Prepare
    const aliasName = `alias/${'k'.repeat(260)}`;

    // Act
    const make = () => createCustomerManagedKey('key', { description: 'k', policy: () => '{}', aliasName }, new Parent('p2'));

    // Assess
    expect(make).toThrow(`createCustomerManagedKey 'key': key alias '${aliasName}' is 266 characters; AWS allows 256 (KMS alias name); shorten it by 10`);
  });
});
