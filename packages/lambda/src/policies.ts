import { policyDocument, vpcNetworkInterfacesStatement, writeOwnLogGroupStatement } from '@tap/blocks';
import type { PolicyStatement } from '@tap/blocks';

/**
 * The function's inline policy: logs on its log group, read on its secret, decrypt with its key through Secrets
 * Manager, and the VPC network-interface actions (the only wildcard resource: AWS offers no scoping for them).
 *
 * @example
 * lambdaRolePolicy({ logGroupArn, secretArn, kmsKeyArn, region: 'us-east-1' });
 */
export function lambdaRolePolicy(input: {
  logGroupArn: string;
  secretArn: string;
  /** Further secrets the function reads. */
  additionalSecretArns?: string[];
  kmsKeyArn?: string;
  /** Several keys (e.g. owner and application secrets under different keys); joined with `kmsKeyArn`. */
  kmsKeyArns?: string[];
  region: string;
}): string {
  const keys = [...new Set([...(input.kmsKeyArn ? [input.kmsKeyArn] : []), ...(input.kmsKeyArns ?? [])])];
  const statements: PolicyStatement[] = [
    writeOwnLogGroupStatement(input.logGroupArn),
    {
      Sid: 'ReadDatabaseSecret',
      Effect: 'Allow',
      Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'],
      Resource: [input.secretArn, ...(input.additionalSecretArns ?? [])],
    },
  ];
  if (keys.length > 0) {
    statements.push({
      Sid: 'DecryptDatabaseSecret',
      Effect: 'Allow',
      Action: ['kms:Decrypt'],
      Resource: keys,
      Condition: { StringEquals: { 'kms:ViaService': `secretsmanager.${input.region}.amazonaws.com` } },
    });
  }
  statements.push(vpcNetworkInterfacesStatement());
  return policyDocument(statements);
}
