import { firstSettingProblem } from '@tap/blocks';
import { componentNameProblem, logRetentionProblem, reservedConcurrencyProblem, rotationDaysProblem } from '@tap/validation';
import { SecretsComponentError } from './errors';

/**
 * Checks the scalar settings of SecretsComponent with the platform's shared setting rules; throws
 * SecretsComponentError naming the setting and what it must be.
 *
 * @example
 * assertSecretsSettings({ username: 'tap_app', rotationDays: 30, reservedConcurrency: 1, logRetentionDays: 30 });
 */
export function assertSecretsSettings(settings: {
  username: string;
  rotationDays: number;
  reservedConcurrency: number;
  logRetentionDays: number;
}): void {
  const { username, rotationDays, reservedConcurrency, logRetentionDays } = settings;
  const problem = firstSettingProblem([
    ['rotationDays', rotationDays, rotationDaysProblem(rotationDays)],
    ['rotationReservedConcurrency', reservedConcurrency, reservedConcurrencyProblem(reservedConcurrency)],
    ['logRetentionDays', logRetentionDays, logRetentionProblem(logRetentionDays)],
  ]);
  if (problem !== undefined) throw new SecretsComponentError(problem);
  // PostgreSQL identifiers are at most 63 bytes; anything longer is silently truncated, so the secret would lie.
  if (username.length === 0 || Buffer.byteLength(username) > 63) {
    throw new SecretsComponentError(`username must be 1 to 63 bytes (a PostgreSQL role name), got "${username}"`);
  }
}

/**
 * The physical names of SecretsComponent `name` (see `secretsResourceNames`) against AWS's limits; throws one
 * `SecretsComponentError` naming the first name over its limit and the longest environmentSuffix that fits.
 *
 * @example
 * assertSecretsNames('sec', '001', secretsResourceNames('dev', '001')); // ok
 */
export function assertSecretsNames(
  name: string,
  suffix: string,
  names: { secret: string; function: string; securityGroup: string; role: string; policy: string },
): void {
  const problem = componentNameProblem('SecretsComponent', name, suffix, [
    { what: 'secret name', type: 'aws:secretsmanager/secret:Secret', name: names.secret },
    { what: 'rotation function name', type: 'aws:lambda/function:Function', name: names.function },
    { what: 'rotation log group name', type: 'aws:cloudwatch/logGroup:LogGroup', name: `/aws/lambda/${names.function}` },
    { what: 'rotation role name', type: 'aws:iam/role:Role', name: names.role },
    { what: 'rotation role policy name', type: 'aws:iam/rolePolicy:RolePolicy', name: names.policy },
    { what: 'rotation security group name', type: 'aws:ec2/securityGroup:SecurityGroup', name: names.securityGroup },
  ]);
  if (problem !== undefined) throw new SecretsComponentError(problem);
}
