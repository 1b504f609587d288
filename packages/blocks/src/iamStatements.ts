import { VPC_NETWORK_INTERFACE_ACTIONS } from '@tap/validation';

// Defined once in @tap/validation (the policy pack checks the same list); re-exported as part of the blocks' IAM helpers.
export { VPC_NETWORK_INTERFACE_ACTIONS };

/** One statement of an IAM policy document. */
export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow' | 'Deny';
  Action: string[];
  Resource: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

/**
 * The trust policy of a Lambda execution role: only the Lambda service may assume it.
 *
 * @example
 * new aws.iam.Role('fn-role', { assumeRolePolicy: lambdaAssumeRolePolicy() });
 */
export function lambdaAssumeRolePolicy(): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
  });
}

/**
 * Writing to the function's own log group and nothing else.
 *
 * @example
 * writeOwnLogGroupStatement('arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/fn').Resource; // ['…:/aws/lambda/fn:*']
 */
export function writeOwnLogGroupStatement(logGroupArn: string): PolicyStatement {
  return {
    Sid: 'WriteOwnLogGroup',
    Effect: 'Allow',
    Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    Resource: [`${logGroupArn}:*`],
  };
}

/**
 * The VPC network-interface actions every function in a VPC needs.
 *
 * @example
 * vpcNetworkInterfacesStatement().Resource; // '*'
 */
export function vpcNetworkInterfacesStatement(): PolicyStatement {
  return {
    Sid: 'VpcNetworkInterfaces',
    Effect: 'Allow',
    Action: [...VPC_NETWORK_INTERFACE_ACTIONS],
    // Wildcard by necessity: these EC2 actions support no resource-level permissions for Lambda's ENIs.
    Resource: '*',
  };
}

/**
 * An IAM policy document (version 2012-10-17) of the given statements, in their order.
 *
 * @example
 * policyDocument([writeOwnLogGroupStatement(logGroupArn), vpcNetworkInterfacesStatement()]);
 */
export function policyDocument(statements: PolicyStatement[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}
