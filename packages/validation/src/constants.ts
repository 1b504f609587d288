/** The environments the platform runs in, in promotion order. */
export const ENVIRONMENT_NAMES = ['dev', 'staging', 'prod'] as const;

/**
 * The Aurora PostgreSQL version every environment runs, pinned in this one place. 15.10 is the long-term-support (LTS)
 * minor AWS designates for the 15 line (AWS's "Aurora PostgreSQL LTS releases" page; also cited in
 * awslabs/aws-athena-query-federation#3099): offered for at least three years in every commercial region, so
 * dev (us-east-2), staging (us-west-2) and prod (us-east-1) can all create it. AWS retires non-LTS minors within about a
 * year: `CreateDBCluster` with 15.4 now fails with "Cannot find version 15.4 for aurora-postgresql"
 * (aws-samples/aws-saas-tenant-usage-and-cost-attribution#4, aws-samples/deploy-langfuse-on-ecs-with-fargate#27).
 * Move it by changing this constant, running `nx run tap-stack:drift-approve`, and deploying dev → staging → prod.
 */
export const AURORA_POSTGRES_VERSION = '15.10';

/** The PostgreSQL major version the platform's schema, parameter group family and drivers are built for. */
export const AURORA_POSTGRES_MAJOR = '15';

/**
 * Aurora PostgreSQL 15 minors AWS no longer offers for new clusters (first minors of the line; the earliest still
 * listed in 2025-11 was 15.6). Refused by validation with the pinned version as the fix.
 */
export const RETIRED_AURORA_POSTGRES_VERSIONS = ['15.2', '15.3', '15.4', '15.5'] as const;

/** Suffix used by `environmentProfile` when none is given. */
export const DEFAULT_ENVIRONMENT_SUFFIX = '001';

/** Lambda timeout assumed when a config sets none (the Lambda component's own default). */
export const DEFAULT_LAMBDA_TIMEOUT_SECONDS = 30;

/**
 * Lambda facts from the AWS docs: memory is the only knob, and one full vCPU comes with 1,769 MB.
 * Memory is 128–10,240 MB, the timeout at most 900 s.
 */
export const LAMBDA_LIMITS = {
  mbPerVcpu: 1769,
  minMemoryMb: 128,
  maxMemoryMb: 10240,
  maxTimeoutSeconds: 900,
} as const;
