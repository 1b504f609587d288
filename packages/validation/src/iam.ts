/**
 * What a Lambda function needs to attach to the VPC: the actions of AWS's managed policy
 * AWSLambdaVPCAccessExecutionRole. AWS supports no resource-level scoping for them, so they are granted on `"*"`.
 * One list for the components that grant them and the policy pack that lets them (and only them) use `"*"`.
 *
 * @example
 * VPC_NETWORK_INTERFACE_ACTIONS.includes('ec2:CreateNetworkInterface'); // true
 */
export const VPC_NETWORK_INTERFACE_ACTIONS = [
  'ec2:CreateNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
] as const;
