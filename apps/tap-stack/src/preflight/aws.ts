import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { EC2Client } from '@aws-sdk/client-ec2';
import { ECRClient } from '@aws-sdk/client-ecr';
import { IAMClient } from '@aws-sdk/client-iam';
import { KMSClient } from '@aws-sdk/client-kms';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { RDSClient } from '@aws-sdk/client-rds';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';
import { CREDENTIAL_ERRORS, QUOTA_ERROR, SDK_RETRY, THROTTLE_RETRY, THROTTLING_ERRORS } from './constants';
import { PreflightError } from './errors';

/** The SDK v3 clients the preflight reads the account with, all in the stack's region. */
export interface AwsClients {
  sts: STSClient;
  rds: RDSClient;
  lambda: LambdaClient;
  ec2: EC2Client;
  iam: IAMClient;
  ecr: ECRClient;
  secrets: SecretsManagerClient;
  logs: CloudWatchLogsClient;
  kms: KMSClient;
  sns: SNSClient;
  cloudwatch: CloudWatchClient;
}

/**
 * One client per service in `region`, with the SDK's adaptive retry (client-side rate limiting on throttles).
 *
 * @example
 * const clients = awsClients('us-east-2');
 */
export function awsClients(region: string): AwsClients {
  const config = { region, ...SDK_RETRY };
  return {
    sts: new STSClient(config),
    rds: new RDSClient(config),
    lambda: new LambdaClient(config),
    ec2: new EC2Client(config),
    iam: new IAMClient(config),
    ecr: new ECRClient(config),
    secrets: new SecretsManagerClient(config),
    logs: new CloudWatchLogsClient(config),
    kms: new KMSClient(config),
    sns: new SNSClient(config),
    cloudwatch: new CloudWatchClient(config),
  };
}

/** The error's name or code as AWS reports it. */
export function awsErrorName(error: unknown): string {
  const e = error as { name?: string; Code?: string; code?: string } | undefined;
  return e?.name ?? e?.Code ?? e?.code ?? '';
}

/** True for AWS's throttling errors (and HTTP 429). */
export function isThrottling(error: unknown): boolean {
  const name = awsErrorName(error);
  const status = (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
  return (THROTTLING_ERRORS as readonly string[]).includes(name) || status === 429;
}

/** True when the credential chain found nothing usable, or AWS refused the credentials themselves. */
export function isCredentialError(error: unknown): boolean {
  const name = awsErrorName(error);
  return (CREDENTIAL_ERRORS as readonly string[]).includes(name) || /Could not load credentials|credential/i.test(name);
}

/**
 * A quota reached (`LimitExceededException`) as the one line that says so and where to raise it: not throttling, so
 * waiting and retrying would not help.
 *
 * @example
 * throw quotaError('iam:GetRole', error, 'us-east-2');
 */
export function quotaError(what: string, error: unknown, region: string): PreflightError {
  const message = ((error as Error).message ?? '').split('\n')[0];
  return new PreflightError(
    `AWS quota reached at ${what} (${QUOTA_ERROR}${message && message !== QUOTA_ERROR ? `: ${message}` : ''}): a quota, not throttling; raise it in Service Quotas (${region}) or free capacity, then rerun`,
    'quota',
  );
}

/** True for a quota reached (not a request rate). */
export function isQuotaError(error: unknown): boolean {
  return awsErrorName(error) === QUOTA_ERROR;
}

/** How {@link withThrottleRetry} waits; injectable so tests do not sleep. */
export type Sleep = (ms: number) => Promise<void>;
export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `call`, retrying a throttled call with exponential backoff and full jitter; a throttle that outlasts every
 * attempt becomes a `PreflightError('throttled')` (exit 2), any other error is rethrown as it is.
 *
 * @example
 * const settings = await withThrottleRetry('lambda:GetAccountSettings', () => lambda.send(new GetAccountSettingsCommand({})));
 */
export async function withThrottleRetry<T>(
  what: string,
  call: () => Promise<T>,
  sleep: Sleep = realSleep,
  retry: { attempts: number; baseDelayMs: number; maxDelayMs: number } = THROTTLE_RETRY,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!isThrottling(error)) throw error;
      if (attempt >= retry.attempts) {
        throw new PreflightError(
          `AWS throttled ${what} (${awsErrorName(error) || 'HTTP 429'}) on all ${retry.attempts} attempts with backoff: wait a minute and retry, or ask for a higher API rate quota`,
          'throttled',
        );
      }
      const cap = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (attempt - 1));
      await sleep(Math.round(Math.random() * cap));
    }
  }
}
