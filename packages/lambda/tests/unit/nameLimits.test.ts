import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { installMocks } from '@tap/pulumi-testing';
import { LambdaComponent, LambdaComponentError } from '../../src';

// AWS limits (API references): CreateFunction FunctionName "Length Constraints: Minimum length of 1. Maximum length of
// 64"; IAM CreateRole RoleName maximum 64; CreateRepository repositoryName 2–256. A name over its limit fails the deploy
// halfway, after the repository and image were created: the component refuses it before registering anything.

const mocks = installMocks();
let buildContext: string;
let contextDir: string;
beforeAll(() => {
  contextDir = mkdtempSync(join(tmpdir(), 'tap-lambda-names-'));
  buildContext = relative(process.cwd(), contextDir);
  writeFileSync(join(contextDir, 'Dockerfile'), 'FROM public.ecr.aws/lambda/nodejs:22\n');
});
afterAll(() => rmSync(contextDir, { recursive: true, force: true }));

const create = (name: string, environmentSuffix: string, withMigrations: boolean) =>
  new LambdaComponent(name, {
    environment: 'prod',
    environmentSuffix,
    buildContext,
    vpcId: 'vpc-1',
    privateSubnetIds: ['subnet-a'],
    dbSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:s',
    databaseSecurityGroupId: 'sg-db',
    kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/k',
    ...(withMigrations ? { migrations: { ownerSecretArn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:o' } } : {}),
  });

describe('LambdaComponent checks its physical names against AWS limits itself', () => {
  it('refuses a suffix that pushes the role name past 64, naming the longest suffix with the migration role counted', () => {
    // Prepare: "payment-processor-role-prod-" is 28 characters; "payment-processor-migrate-role-prod-" is 36.
    const suffix = 'a'.repeat(40);
    const before = mocks.resources.length;

    // Act
    const make = () => create('pay', suffix, true);

    // Assess
    expect(make).toThrow(LambdaComponentError);
    expect(make).toThrow(
      `LambdaComponent 'pay': payment function role 'payment-processor-role-prod-${suffix}' is 68 characters; AWS allows 64 (IAM role name); the longest environmentSuffix that fits is 28`,
    );
    expect(mocks.resources.slice(before).filter((r) => r.type !== 'tap:lambda:LambdaComponent')).toEqual([]);
  });

  it('without migrations, only its own names count: a 36-character suffix fits', () => {
    // Prepare: the function role "payment-processor-role-prod-" + 36 = 64, the limit exactly.
    const suffix = 'b'.repeat(36);

    // Act + Assess
    expect(() => create('fits', suffix, false)).not.toThrow();
    expect(() => create('migfits', suffix, true)).toThrow(/^LambdaComponent 'migfits': migration function 'payment-processor-migrate-prod-b{36}' is 67 characters; AWS allows 64 \(Lambda function name\); the longest environmentSuffix that fits is 28$/);
  });
});
