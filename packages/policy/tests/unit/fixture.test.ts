import { evaluatePolicies, TYPES, type PolicyViolation, type SynthResource } from '../../src';
import { find, loadFixture, record } from '../helpers';

const DEV = { stackName: 'dev', environment: 'dev' };
const summary = (violations: PolicyViolation[]) => violations.map((v) => `${v.policyName} ${v.resourceName ?? '(stack)'}`);

function mutated(change: (resources: SynthResource[]) => SynthResource[] | void): PolicyViolation[] {
  const resources = loadFixture();
  return evaluatePolicies(change(resources) ?? resources, DEV);
}

describe('the compliant dev stack fixture', () => {
  it('has zero violations under every policy', () => {
    // Act
    const violations = evaluatePolicies(loadFixture(), DEV);
    // Assess
    expect(violations).toEqual([]);
  });

  it('holds the resource kinds the policies are about', () => {
    const types = new Set(loadFixture().map((r) => r.type));
    for (const type of [TYPES.cluster, TYPES.clusterInstance, TYPES.kmsKey, TYPES.secret, TYPES.secretRotation, TYPES.lambdaFunction, TYPES.functionUrl, TYPES.lambdaPermission, TYPES.role, TYPES.rolePolicy, TYPES.securityGroup, TYPES.ingressRule, TYPES.logGroup, TYPES.metricAlarm, TYPES.topic]) {
      expect(types).toContain(type);
    }
  });
});

describe('mutations of the fixture are each caught', () => {
  it('drop encryption from the cluster', () => {
    const violations = mutated((r) => {
      delete find(r, 'db-cluster').inputs['storageEncrypted'];
      delete find(r, 'db-cluster').inputs['kmsKeyId'];
    });
    expect(summary(violations)).toEqual(['aurora-storage-encrypted-cmk db-cluster', 'aurora-storage-encrypted-cmk db-cluster']);
  });

  it('drop encryption from the secret and the topic', () => {
    const violations = mutated((r) => {
      delete find(r, 'secrets-secret').inputs['kmsKeyId'];
      delete find(r, 'monitoring-topic').inputs['kmsMasterKeyId'];
    });
    expect(summary(violations)).toEqual(['secret-encrypted-cmk secrets-secret', 'sns-topic-encrypted monitoring-topic']);
  });

  it('add a "*" action to the Lambda role policy', () => {
    const violations = mutated((r) => {
      const policy = find(r, 'payments-role-policy');
      const doc = JSON.parse(String(policy.inputs['policy'])) as { Statement: Record<string, unknown>[] };
      doc.Statement[1]['Action'] = '*';
      policy.inputs['policy'] = JSON.stringify(doc);
    });
    expect(summary(violations)).toEqual(['iam-no-wildcard-actions payments-role-policy']);
    expect(violations[0].message).toContain(`statement 'ReadDatabaseSecret' allows wildcard action(s) "*"`);
  });

  it('widen a statement to Resource "*"', () => {
    const violations = mutated((r) => {
      const policy = find(r, 'secrets-rotation-policy');
      policy.inputs['policy'] = String(policy.inputs['policy']).replace(/"Resource":\["arn:aws:secretsmanager[^\]]*\]/, '"Resource":"*"');
    });
    expect(summary(violations)).toEqual(['iam-no-wildcard-resources secrets-rotation-policy']);
  });

  it('open the database to 0.0.0.0/0', () => {
    const violations = mutated((r) => {
      find(r, 'db-ingress-cidr-0').inputs['cidrIpv4'] = '0.0.0.0/0';
    });
    expect(summary(violations)).toEqual(['security-group-no-public-ingress db-ingress-cidr-0', 'database-port-ingress-sources db-ingress-cidr-0']);
  });

  it('drop the rotation', () => {
    const violations = mutated((r) => r.filter((x) => x.type !== TYPES.secretRotation));
    expect(summary(violations)).toEqual(['database-secret-rotation secrets-secret']);
  });

  it('attach a managed policy', () => {
    const violations = mutated((r) => {
      r.push(record(TYPES.rolePolicyAttachment, 'payments-vpc-access', { role: 'payments-role-id', policyArn: 'arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole' }));
    });
    expect(summary(violations)).toEqual(['iam-no-managed-policy-attachments payments-vpc-access']);
  });

  it('make the Function URL public (auth NONE)', () => {
    const violations = mutated((r) => {
      find(r, 'payments-url').inputs['authorizationType'] = 'NONE';
    });
    expect(summary(violations)).toEqual(['lambda-function-url-auth payments-url']);
  });

  it('remove the retention of the Lambda log group', () => {
    const violations = mutated((r) => {
      delete find(r, 'payments-logs').inputs['retentionInDays'];
    });
    expect(summary(violations)).toEqual(['lambda-log-group-retention payments-function', 'log-group-retention payments-logs']);
  });

  it('take the Lambda out of the VPC and drop its reserved concurrency', () => {
    const violations = mutated((r) => {
      delete find(r, 'payments-function').inputs['vpcConfig'];
      delete find(r, 'payments-function').inputs['reservedConcurrentExecutions'];
    });
    expect(summary(violations)).toEqual(['lambda-in-vpc payments-function', 'lambda-reserved-concurrency payments-function']);
  });

  it('make an instance public, shorten backups and key windows, disable key rotation', () => {
    const violations = mutated((r) => {
      find(r, 'db-instance-0').inputs['publiclyAccessible'] = true;
      find(r, 'db-cluster').inputs['backupRetentionPeriod'] = 1;
      find(r, 'db-key').inputs['enableKeyRotation'] = false;
      find(r, 'monitoring-key').inputs['deletionWindowInDays'] = 3;
    });
    expect(summary(violations)).toEqual([
      'aurora-backup-retention db-cluster',
      'aurora-instance-not-public db-instance-0',
      'kms-key-rotation db-key',
      'kms-deletion-window monitoring-key',
    ]);
  });

  it('drop an alarm action and the rotation Lambda alarms', () => {
    const violations = mutated((r) => {
      find(r, 'monitoring-aurora-cpu').inputs['alarmActions'] = [];
      return r.filter((x) => !x.name.startsWith('monitoring-rotation-'));
    });
    expect(summary(violations)).toEqual([
      'lambda-errors-and-duration-alarms secrets-rotation-function',
      'lambda-errors-and-duration-alarms secrets-rotation-function',
      'alarm-has-actions monitoring-aurora-cpu',
    ]);
  });

  it('give the rotation function the database key, whose policy allows only rds and secretsmanager', () => {
    const violations = mutated((r) => {
      find(r, 'secrets-rotation-function').inputs['kmsKeyArn'] = find(r, 'db-cluster').inputs['kmsKeyId'];
    });
    expect(summary(violations)).toEqual(['kms-key-use secrets-rotation-function']);
  });

  it('put kms:Create* back into the administration statement of the database key', () => {
    const violations = mutated((r) => {
      const key = find(r, 'db-key');
      key.inputs['policy'] = String(key.inputs['policy']).replace('"kms:CreateAlias"', '"kms:Create*"');
    });
    expect(summary(violations)).toEqual(['kms-key-admin-no-grants db-key']);
  });

  it('drop the CloudWatch statement from the alarm topic key', () => {
    const violations = mutated((r) => {
      const key = find(r, 'monitoring-key');
      const policy = JSON.parse(String(key.inputs['policy'])) as { Statement: { Sid?: string }[] };
      policy.Statement = policy.Statement.filter((s) => s.Sid !== 'CloudWatchAlarmsPublish');
      key.inputs['policy'] = JSON.stringify(policy);
    });
    expect(summary(violations)).toEqual(['kms-key-use monitoring-topic']);
  });

  it('give the rotation role a name past the IAM limit of 64', () => {
    const violations = mutated((r) => {
      find(r, 'secrets-rotation-role').inputs['name'] = `db-rotation-role-${'x'.repeat(45)}-dev-001`;
    });
    expect(summary(violations)).toEqual(['aws-name-limits secrets-rotation-role']);
  });

  it('treat the same stack as prod: one instance is too few and the names lack "prod"', () => {
    // Act
    const violations = evaluatePolicies(loadFixture(), { stackName: 'prod', environment: 'prod' });
    // Assess
    expect(summary(violations)).toEqual(['aurora-prod-instance-count db-cluster', 'resource-naming (stack)']);
  });
});
