/** Exit codes of `tap-preflight`: ready, not ready, could not check. */
export const PREFLIGHT_EXIT = { ready: 0, notReady: 1, couldNotCheck: 2 } as const;

/** Output formats of the report. */
export const PREFLIGHT_FORMATS = ['text', 'json', 'markdown'] as const;

/**
 * AWS refuses a reserved concurrency that leaves less than this unreserved ("decreases account's
 * UnreservedConcurrentExecution below its minimum value of [100]"); accounts whose whole limit is 10 keep 10.
 */
export const MIN_UNRESERVED_CONCURRENCY = 100;
/** The minimum on new accounts whose concurrency limit is still 10. */
export const MIN_UNRESERVED_CONCURRENCY_SMALL_ACCOUNT = 10;

/**
 * Reserved concurrency of the functions beside the payment function (migration: @tap/lambda MIGRATION_DEFAULTS;
 * rotation: @tap/secrets SECRETS_DEFAULTS). A test holds these equal to the packages' values.
 */
export const FIXED_RESERVED_CONCURRENCY = { migration: 1, rotation: 1 } as const;

/**
 * Function memory most accounts may set; some accounts are capped at 3008 MB until a quota increase
 * ("'MemorySize' ... less than or equal to 3008"), 10240 MB is the documented maximum.
 */
export const LAMBDA_MEMORY_CAPPED_ACCOUNT_MB = 3008;
export const LAMBDA_MEMORY_MAX_MB = 10_240;

/** The networking stack's outputs the tap-stack reads through its StackReference. */
export const NETWORKING_OUTPUTS = ['vpcId', 'vpcCidr', 'privateSubnetIds', 'publicSubnetIds', 'availabilityZones'] as const;
/** The error of a quota reached (not a request rate): reported with where to raise it, never retried. */
export const QUOTA_ERROR = 'LimitExceededException';

/** The project that deploys the networking stack, and the deploy target that runs it before the tap-stack's. */
export const NETWORKING_PROJECT = { name: 'networking-stack', root: 'apps/networking-stack' } as const;
export const DEPLOY_TARGET = 'deploy';

/** Private subnets the stack expects: one per AZ, three AZs. */
export const PRIVATE_SUBNET_COUNT = 3;

/** The engine the database component creates. */
export const AURORA_ENGINE = 'aurora-postgresql';

/**
 * Retries: the SDK's adaptive mode (client-side rate limiting + its own retries) absorbs short bursts; a throttle that
 * outlasts them is retried here with exponential backoff before the run gives up with exit 2.
 */
export const SDK_RETRY = { maxAttempts: 4, retryMode: 'adaptive' } as const;
export const THROTTLE_RETRY = { attempts: 4, baseDelayMs: 1000, maxDelayMs: 8000 } as const;

/**
 * Error names AWS services use for throttling (the SDK's own list of throttling error codes, without
 * `LimitExceededException`: Secrets Manager, IAM, KMS and CloudWatch use it for a quota, which no retry clears).
 */
export const THROTTLING_ERRORS = [
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'TransactionInProgressException',
  'RequestLimitExceeded',
  'BandwidthLimitExceeded',
  'RequestThrottled',
  'SlowDown',
  'PriorRequestNotComplete',
  'EC2ThrottledException',
] as const;

/** Error names of a credential chain that found nothing usable. */
export const CREDENTIAL_ERRORS = [
  'CredentialsProviderError',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'TokenRefreshRequired',
] as const;
