import { resourceName, type EnvironmentName, type StackPhysicalName } from '@tap/validation';

type Env = EnvironmentName;

/**
 * The physical names LambdaComponent gives its resources, by service (`serviceName`, or `{serviceName}-migrate` for the
 * migration function): its resources and its name check both read these.
 *
 * @example
 * LAMBDA_NAMES.logGroup('payment-processor', 'dev', '001'); // '/aws/lambda/payment-processor-001'
 */
export const LAMBDA_NAMES = {
  function: (service: string, environment: Env, suffix: string) => resourceName(service, environment, suffix),
  // The platform's documented log group name has no environment (the function's has).
  logGroup: (service: string, environment: Env, suffix: string) => `/aws/lambda/${service}-${suffix}`,
  role: (service: string, environment: Env, suffix: string) => resourceName(`${service}-role`, environment, suffix),
  policy: (service: string, environment: Env, suffix: string) => resourceName(`${service}-policy`, environment, suffix),
  repository: (service: string, environment: Env, suffix: string) => resourceName(service, environment, suffix),
  securityGroup: (environment: Env, suffix: string) => resourceName('lambda-sg', environment, suffix),
  /** The migration function's service name. */
  migrateService: (service: string) => `${service}-migrate`,
} as const;

/**
 * Every physical name LambdaComponent creates: the function's, the image repository's, the security group's, and
 * the migration function's when it has `migrations`.
 *
 * @example
 * lambdaPhysicalNames({ serviceName: 'payment-processor', migrations: true })[0].name('dev', '001', 1); // 'payment-processor-dev-001'
 */
export function lambdaPhysicalNames(options: { serviceName: string; migrations: boolean }): StackPhysicalName[] {
  const functionNames = (service: string, label: string): StackPhysicalName[] => [
    { resource: `${label} function`, type: 'aws:lambda/function:Function', name: (e, s) => LAMBDA_NAMES.function(service, e, s) },
    { resource: `${label} function log group`, type: 'aws:cloudwatch/logGroup:LogGroup', name: (e, s) => LAMBDA_NAMES.logGroup(service, e, s) },
    { resource: `${label} function role`, type: 'aws:iam/role:Role', name: (e, s) => LAMBDA_NAMES.role(service, e, s) },
    { resource: `${label} function policy`, type: 'aws:iam/rolePolicy:RolePolicy', name: (e, s) => LAMBDA_NAMES.policy(service, e, s) },
  ];
  return [
    ...functionNames(options.serviceName, 'payment'),
    { resource: 'payment image repository', type: 'aws:ecr/repository:Repository', name: (e, s) => LAMBDA_NAMES.repository(options.serviceName, e, s) },
    { resource: 'payment function security group', type: 'aws:ec2/securityGroup:SecurityGroup', name: LAMBDA_NAMES.securityGroup },
    ...(options.migrations ? functionNames(LAMBDA_NAMES.migrateService(options.serviceName), 'migration') : []),
  ];
}
