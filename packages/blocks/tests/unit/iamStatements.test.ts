import {
  VPC_NETWORK_INTERFACE_ACTIONS,
  lambdaAssumeRolePolicy,
  policyDocument,
  vpcNetworkInterfacesStatement,
  writeOwnLogGroupStatement,
} from '../../src';

describe('IAM statement helpers', () => {
  it('lets only the Lambda service assume an execution role', () => {
    // Act
    const trust = JSON.parse(lambdaAssumeRolePolicy());

    // Assess
    expect(trust).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
  });

  it('scopes log writes to the streams of one log group', () => {
    // Act
    const statement = writeOwnLogGroupStatement('arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/fn');

    // Assess
    expect(statement.Action).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
    expect(statement.Resource).toEqual(['arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/fn:*']);
  });

  it('grants the network-interface actions, and nothing else, on every resource', () => {
    // Act
    const statement = vpcNetworkInterfacesStatement();

    // Assess
    expect(statement.Resource).toBe('*');
    expect(statement.Action).toEqual([...VPC_NETWORK_INTERFACE_ACTIONS]);
    expect(statement.Action.every((action) => action.startsWith('ec2:') && /NetworkInterface|Subnets|PrivateIpAddresses/.test(action))).toBe(true);
  });

  it('keeps the statements in the order given', () => {
    // Act
    const doc = JSON.parse(policyDocument([vpcNetworkInterfacesStatement(), writeOwnLogGroupStatement('arn:x')]));

    // Assess
    expect(doc.Version).toBe('2012-10-17');
    expect(doc.Statement.map((s: { Sid: string }) => s.Sid)).toEqual(['VpcNetworkInterfaces', 'WriteOwnLogGroup']);
  });
});
