// The SDK's Node 20 deprecation notice is noise in test output; the workspace supports Node 20.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeRouteTablesCommand, DescribeSecurityGroupsCommand, DescribeSubnetsCommand, DescribeVpcEndpointsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { GetRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { DescribeKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { GetAccountSettingsCommand, GetFunctionConcurrencyCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  DescribeDBClusterParameterGroupsCommand,
  DescribeDBClustersCommand,
  DescribeDBEngineVersionsCommand,
  DescribeDBInstancesCommand,
  DescribeDBSubnetGroupsCommand,
  DescribeOrderableDBInstanceOptionsCommand,
  RDSClient,
} from '@aws-sdk/client-rds';
import { DescribeSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetTopicAttributesCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import type { SpawnFn, SpawnResult } from '../src/preflight';

/** An AWS error as the SDK throws it: `name` is the error code. */
export function awsError(name: string, message = name, httpStatusCode = 400): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode } });
}

export const NETWORK = {
  vpcId: 'vpc-0abc',
  vpcCidr: '10.0.0.0/16',
  privateSubnetIds: ['subnet-a', 'subnet-b', 'subnet-c'],
  publicSubnetIds: ['subnet-pa', 'subnet-pb', 'subnet-pc'],
  availabilityZones: ['us-east-2a', 'us-east-2b', 'us-east-2c'],
};

/** Mocks of every client the preflight uses; `ready(region)` answers as an account that can take the stack. */
export function awsMocks() {
  const mocks = {
    sts: mockClient(STSClient),
    rds: mockClient(RDSClient),
    lambda: mockClient(LambdaClient),
    ec2: mockClient(EC2Client),
    iam: mockClient(IAMClient),
    ecr: mockClient(ECRClient),
    secrets: mockClient(SecretsManagerClient),
    logs: mockClient(CloudWatchLogsClient),
    kms: mockClient(KMSClient),
    sns: mockClient(SNSClient),
    cloudwatch: mockClient(CloudWatchClient),
  };
  const reset = () => Object.values(mocks).forEach((m) => m.reset());
  const ready = (region = 'us-east-2') => {
    reset();
    mocks.sts.on(GetCallerIdentityCommand).resolves({ Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/deployer', UserId: 'AID' });
    mocks.rds
      .on(DescribeDBEngineVersionsCommand)
      .resolves({ DBEngineVersions: ['15.6', '15.10', '15.12', '16.4'].map((v) => ({ Engine: 'aurora-postgresql', EngineVersion: v })) });
    mocks.rds.on(DescribeOrderableDBInstanceOptionsCommand).callsFake((input) => ({
      OrderableDBInstanceOptions: [{ Engine: 'aurora-postgresql', EngineVersion: input.EngineVersion, DBInstanceClass: input.DBInstanceClass, AvailabilityZones: [{ Name: `${region}a` }, { Name: `${region}b` }, { Name: `${region}c` }] }],
    }));
    mocks.rds.on(DescribeDBClustersCommand).rejects(awsError('DBClusterNotFoundFault', 'DBCluster not found', 404));
    mocks.rds.on(DescribeDBInstancesCommand).rejects(awsError('DBInstanceNotFound', 'DBInstance not found', 404));
    mocks.rds.on(DescribeDBSubnetGroupsCommand).rejects(awsError('DBSubnetGroupNotFoundFault', 'DB subnet group not found', 404));
    mocks.rds.on(DescribeDBClusterParameterGroupsCommand).rejects(awsError('DBParameterGroupNotFound', 'DB cluster parameter group not found', 404));
    mocks.lambda.on(GetAccountSettingsCommand).resolves({ AccountLimit: { ConcurrentExecutions: 1000, UnreservedConcurrentExecutions: 1000 } });
    mocks.lambda.on(GetFunctionConcurrencyCommand).rejects(awsError('ResourceNotFoundException', 'Function not found', 404));
    mocks.ec2.on(DescribeVpcEndpointsCommand).resolves({
      VpcEndpoints: [
        { VpcEndpointId: 'vpce-1', VpcId: NETWORK.vpcId, ServiceName: `com.amazonaws.${region}.secretsmanager`, VpcEndpointType: 'Interface', PrivateDnsEnabled: true, State: 'Available', SubnetIds: NETWORK.privateSubnetIds },
      ],
    });
    mocks.ec2.on(DescribeRouteTablesCommand).resolves({ RouteTables: [] });
    mocks.ec2.on(DescribeSubnetsCommand).resolves({
      Subnets: NETWORK.privateSubnetIds.map((id, i) => ({ SubnetId: id, VpcId: NETWORK.vpcId, AvailabilityZone: `${region}${'abc'[i]}` })),
    });
    mocks.ec2.on(DescribeSecurityGroupsCommand).resolves({ SecurityGroups: [] });
    mocks.iam.on(GetRoleCommand).rejects(awsError('NoSuchEntity', 'The role cannot be found', 404));
    mocks.ecr.on(DescribeRepositoriesCommand).rejects(awsError('RepositoryNotFoundException', 'repository does not exist'));
    mocks.secrets.on(DescribeSecretCommand).rejects(awsError('ResourceNotFoundException', 'Secrets Manager cannot find the specified secret'));
    mocks.logs.on(DescribeLogGroupsCommand).resolves({ logGroups: [] });
    mocks.kms.on(DescribeKeyCommand).rejects(awsError('NotFoundException', 'Alias not found'));
    mocks.sns.on(GetTopicAttributesCommand).rejects(awsError('NotFoundException', 'Topic does not exist', 404));
    mocks.cloudwatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });
  };
  return { ...mocks, reset, ready };
}

const ok = (stdout = ''): SpawnResult => ({ status: 0, stdout, stderr: '' });
const missing = (command: string): SpawnResult => ({ status: null, stdout: '', stderr: '', error: Object.assign(new Error(`spawn ${command} ENOENT`), { code: 'ENOENT' }) });

/** A stand-in for docker and pulumi: `overrides` by "command sub-command" (e.g. "pulumi stack output"). */
export function fakeTools(overrides: Record<string, SpawnResult | 'missing'> = {}): SpawnFn & { calls: string[][] } {
  const calls: string[][] = [];
  const fn = ((command: string, args: readonly string[]) => {
    calls.push([command, ...args]);
    const key = [command, ...args.filter((a) => !a.startsWith('-')).slice(0, 2)].join(' ');
    const found = Object.entries(overrides).find(([k]) => key.startsWith(k));
    if (found) return found[1] === 'missing' ? missing(command) : found[1];
    if (command === 'docker') return ok('27.3.1\n');
    if (key === 'pulumi version') return ok('v3.200.0\n');
    if (key.startsWith('pulumi whoami')) return ok('User: deployer\nBackend URL: s3://tap-state?region=us-east-1\n');
    if (key.startsWith('pulumi stack output')) return ok(JSON.stringify(NETWORK));
    if (key.startsWith('pulumi stack export')) return { status: 255, stdout: '', stderr: "error: no stack named 'dev' found\n" };
    return { status: 255, stdout: '', stderr: `unexpected ${key}\n` };
  }) as SpawnFn & { calls: string[][] };
  fn.calls = calls;
  return fn;
}
