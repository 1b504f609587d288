import * as lambda from '@pulumi/aws/lambda';
import type { PolicyResource, ResourceValidationPolicy, StackValidationArgs, StackValidationPolicy } from '@pulumi/policy';
import { validateResourceOfType } from '@pulumi/policy';
import { latencyBelowTimeoutProblem } from '@tap/validation';
import { LIMITS, TYPES } from '../constants';
import { ofType, ofTypeOrNotApplicable, refersTo } from '../references';
import { describe, list, num, record, str, strings, type Props } from '../values';

export const lambdaInVpc: ResourceValidationPolicy = {
  name: 'lambda-in-vpc',
  description: 'Lambda functions run in the VPC (subnets and security groups set).',
  enforcementLevel: 'mandatory',
  severity: 'high',
  validateResource: validateResourceOfType(lambda.Function, (fn, args, report) => {
    const vpc = record(fn.vpcConfig);
    const subnets = strings(vpc?.['subnetIds']);
    const groups = strings(vpc?.['securityGroupIds']);
    if (subnets.length === 0 || groups.length === 0) {
      report(
        `Lambda function ${describe(args.name, fn as Props)} is not in a VPC (${subnets.length} subnet(s), ${groups.length} security group(s)). ` +
          'Fix: set vpcConfig.subnetIds to the private subnets and vpcConfig.securityGroupIds to its own security group.',
      );
    }
  }),
};

export const lambdaReservedConcurrency: ResourceValidationPolicy = {
  name: 'lambda-reserved-concurrency',
  description: 'Lambda functions set reserved concurrency, so one function cannot starve the account (or the database).',
  enforcementLevel: 'mandatory',
  severity: 'medium',
  validateResource: validateResourceOfType(lambda.Function, (fn, args, report) => {
    const reserved = num(fn.reservedConcurrentExecutions);
    if (reserved === undefined || reserved < 0) {
      report(
        `Lambda function ${describe(args.name, fn as Props)} has no reserved concurrency. ` +
          'Fix: set reservedConcurrentExecutions (e.g. from the environment profile).',
      );
    }
  }),
};

export const functionUrlAuth: ResourceValidationPolicy = {
  name: 'lambda-function-url-auth',
  description: 'Lambda Function URLs require IAM auth (never NONE).',
  enforcementLevel: 'mandatory',
  severity: 'critical',
  validateResource: validateResourceOfType(lambda.FunctionUrl, (url, args, report) => {
    const auth = str(url.authorizationType);
    if (auth !== 'AWS_IAM') {
      report(
        `Lambda Function URL '${args.name}' of ${String(url.functionName)} has authorizationType ${auth ?? '(unset)'}, so anyone on the internet can invoke it. ` +
          'Fix: set authorizationType: "AWS_IAM" and grant lambda:InvokeFunctionUrl to the callers.',
      );
    }
  }),
};

export const lambdaPermissionNotPublic: ResourceValidationPolicy = {
  name: 'lambda-permission-not-public',
  description: 'Lambda permissions name a principal and, for service principals, the source account or ARN.',
  enforcementLevel: 'mandatory',
  severity: 'critical',
  validateResource: validateResourceOfType(lambda.Permission, (permission, args, report) => {
    const principal = str(permission.principal);
    const scoped = str(permission.sourceAccount) || str(permission.sourceArn) || str(permission.principalOrgId);
    if (principal === '*' && !scoped) {
      report(`Lambda permission '${args.name}' lets any principal invoke ${String(permission.function)}. Fix: set principal to the calling service or account and add sourceAccount/sourceArn.`);
    }
    if (str(permission.functionUrlAuthType) === 'NONE') {
      report(`Lambda permission '${args.name}' grants unauthenticated Function URL access to ${String(permission.function)}. Fix: use functionUrlAuthType "AWS_IAM".`);
    }
  }),
};

/** The stack's Lambda functions, for the stack policies below; without any they do not apply. */
function lambdaFunctions(args: StackValidationArgs): PolicyResource[] {
  return ofTypeOrNotApplicable(args, TYPES.lambdaFunction, 'no Lambda function in the stack');
}

/** The log group a function writes to: `loggingConfig.logGroup`, else Lambda's default `/aws/lambda/<name>`. */
export function functionLogGroupName(fn: PolicyResource): string | undefined {
  const configured = str(record(fn.props['loggingConfig'])?.['logGroup']);
  if (configured) return configured;
  const name = str(fn.props['name']);
  return name ? `/aws/lambda/${name}` : undefined;
}

export const lambdaLogGroup: StackValidationPolicy = {
  name: 'lambda-log-group-retention',
  description: 'Every Lambda function writes to a log group declared in this stack with a retention period.',
  enforcementLevel: 'mandatory',
  severity: 'medium',
  validateStack: (args, report) => {
    const functions = lambdaFunctions(args);
    const logGroups = ofType(args.resources, TYPES.logGroup);
    for (const fn of functions) {
      const who = `Lambda function ${describe(fn.name, fn.props)}`;
      const target = functionLogGroupName(fn);
      const group = target ? logGroups.find((g) => str(g.props['name']) === target || refersTo(target, g)) : undefined;
      if (!group) {
        report(
          `${who} writes to log group ${target ?? '(unknown: the function has no name)'}, which this stack does not declare, so Lambda creates it with no retention. ` +
            `Fix: declare an aws.cloudwatch.LogGroup named ${target ?? '/aws/lambda/<function name>'} with retentionInDays ${LIMITS.minLogRetentionDays} (and point loggingConfig.logGroup at it).`,
          fn.urn,
        );
      } else if (!num(group.props['retentionInDays'])) {
        report(`${who}: its log group ${describe(group.name, group.props)} keeps logs forever. Fix: set retentionInDays to ${LIMITS.minLogRetentionDays}.`, fn.urn);
      }
    }
  },
};

/** A metric an alarm watches, from its own fields or its metric queries. */
interface WatchedMetric {
  namespace?: string;
  metricName?: string;
  dimensions: Props;
}

export function watchedMetrics(alarm: PolicyResource): WatchedMetric[] {
  const own: WatchedMetric = {
    namespace: str(alarm.props['namespace']),
    metricName: str(alarm.props['metricName']),
    dimensions: record(alarm.props['dimensions']) ?? {},
  };
  const queried = list(alarm.props['metricQueries']).map((q) => {
    const metric = record(record(q)?.['metric']) ?? {};
    return { namespace: str(metric['namespace']), metricName: str(metric['metricName']), dimensions: record(metric['dimensions']) ?? {} };
  });
  return [own, ...queried];
}

/** The stack's alarms on `metricName` of Lambda function `fn`. */
export function lambdaAlarms(resources: readonly PolicyResource[], fn: PolicyResource, metricName: string): PolicyResource[] {
  return ofType(resources, TYPES.metricAlarm).filter((alarm) =>
    watchedMetrics(alarm).some(
      (m) => m.namespace === 'AWS/Lambda' && m.metricName === metricName && refersTo(m.dimensions['FunctionName'], fn),
    ),
  );
}

export const lambdaAlarmsPolicy: StackValidationPolicy = {
  name: 'lambda-errors-and-duration-alarms',
  description: 'Every Lambda function has an Errors alarm and a Duration alarm.',
  enforcementLevel: 'mandatory',
  severity: 'medium',
  validateStack: (args, report) => {
    for (const fn of lambdaFunctions(args)) {
      for (const metric of ['Errors', 'Duration']) {
        if (lambdaAlarms(args.resources, fn, metric).length === 0) {
          report(
            `Lambda function ${describe(fn.name, fn.props)} has no ${metric} alarm. ` +
              `Fix: add an aws.cloudwatch.MetricAlarm on AWS/Lambda ${metric} with dimensions.FunctionName set to the function's name and an alarm action.`,
            fn.urn,
          );
        }
      }
    }
  },
};

export const lambdaTimeoutAboveLatencyAlarm: StackValidationPolicy = {
  name: 'lambda-timeout-above-latency-alarm',
  description: "A Lambda function's timeout exceeds its Duration alarm threshold, so slow invocations alarm before they time out.",
  enforcementLevel: 'mandatory',
  severity: 'medium',
  validateStack: (args, report) => {
    for (const fn of lambdaFunctions(args)) {
      const timeoutSeconds = num(fn.props['timeout']) ?? LIMITS.defaultLambdaTimeoutSeconds;
      const timeoutMs = timeoutSeconds * 1000;
      for (const alarm of lambdaAlarms(args.resources, fn, 'Duration')) {
        const threshold = num(alarm.props['threshold']);
        // Duration is reported in milliseconds; an alarm declared in seconds is converted.
        const thresholdMs = threshold === undefined ? undefined : str(alarm.props['unit']) === 'Seconds' ? threshold * 1000 : threshold;
        // The same rule validation applies to a stack's config (latencyBelowTimeoutProblem of @tap/validation).
        if (thresholdMs !== undefined && latencyBelowTimeoutProblem(thresholdMs, timeoutSeconds) !== undefined) {
          report(
            `Lambda function ${describe(fn.name, fn.props)} times out after ${timeoutMs} ms, not above its Duration alarm ${describe(alarm.name, alarm.props)} threshold of ${thresholdMs} ms, so slow invocations time out before the alarm sees them. ` +
              'Fix: raise timeout or lower the latency threshold.',
            fn.urn,
          );
        }
      }
    }
  },
};

export const lambdaPolicies = [
  lambdaInVpc,
  lambdaReservedConcurrency,
  functionUrlAuth,
  lambdaPermissionNotPublic,
  lambdaLogGroup,
  lambdaAlarmsPolicy,
  lambdaTimeoutAboveLatencyAlarm,
] as const;
