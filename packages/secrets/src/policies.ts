import { policyDocument, vpcNetworkInterfacesStatement, writeOwnLogGroupStatement } from '@tap/blocks';
import { ROTATION_KMS_ACTIONS, ROTATION_SECRET_ACTIONS } from './constants';

/**
 * The rotation function's inline policy. Every statement names its exact ARNs except the two AWS cannot scope
 * (GetRandomPassword and the VPC network-interface actions), each in a statement of its own.
 *
 * @example
 * rotationRolePolicy({ secretArn, kmsKeyArn, logGroupArn });
 */
export function rotationRolePolicy(input: { secretArn: string; kmsKeyArn: string; logGroupArn: string }): string {
  return policyDocument([
    {
      Sid: 'RotateThisSecret',
      Effect: 'Allow',
      Action: [...ROTATION_SECRET_ACTIONS],
      Resource: [input.secretArn],
    },
    {
      Sid: 'GenerateRandomPassword',
      Effect: 'Allow',
      Action: ['secretsmanager:GetRandomPassword'],
      // Wildcard by necessity: GetRandomPassword acts on no resource, so IAM accepts only "*" for it.
      Resource: '*',
    },
    {
      Sid: 'UseThisSecretKey',
      Effect: 'Allow',
      Action: [...ROTATION_KMS_ACTIONS],
      Resource: [input.kmsKeyArn],
    },
    vpcNetworkInterfacesStatement(),
    writeOwnLogGroupStatement(input.logGroupArn),
  ]);
}
