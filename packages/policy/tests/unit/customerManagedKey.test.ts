import { reportUnlessCustomerManagedKey } from '../../src/customerManagedKey';

describe('reportUnlessCustomerManagedKey', () => {
  const messages = { unset: 'unset', awsManaged: (key: string) => `aws-managed ${key}` };

  it.each([
    ['an unset key', undefined, ['unset']],
    ['an AWS-managed alias', 'alias/aws/sns', ['aws-managed alias/aws/sns']],
    ['an AWS-managed alias ARN', 'arn:aws:kms:us-east-1:123456789012:alias/aws/rds', ['aws-managed arn:aws:kms:us-east-1:123456789012:alias/aws/rds']],
    ['a customer-managed key ARN', 'arn:aws:kms:us-east-1:123456789012:key/1234abcd', []],
    ['a customer-managed alias', 'alias/payments-key', []],
  ])('reports %s as it should', (_what, key, expected) => {
    // Prepare
    const reported: string[] = [];

    // Act
    reportUnlessCustomerManagedKey(key, messages, (message) => reported.push(message));

    // Assess
    expect(reported).toEqual(expected);
  });
});
