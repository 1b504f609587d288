import { awsClients, isCredentialError, isQuotaError, quotaError, realSleep, withThrottleRetry, type AwsClients, type Sleep } from './aws';
import { checkCredentials, checkDatabase, checkLambda, checkNameClashes, checkNetworking, checkRegion, checkTools, networkingState, type CheckContext } from './checks';
import { PREFLIGHT_EXIT } from './constants';
import { PreflightError } from './errors';
import { firstLine, spawnTool } from './tools';
import type { CheckResult, PreflightReport, PreflightTarget, SpawnFn } from './types';

/** Options of {@link runPreflight}. */
export interface PreflightOptions {
  target: PreflightTarget;
  /** The Pulumi project folder (apps/tap-stack), where `pulumi` runs. */
  cwd: string;
  /** SDK clients; default: {@link awsClients} in the target's region. */
  clients?: AwsClients;
  /** Runs docker and pulumi; default: the real commands. */
  spawn?: SpawnFn;
  /** The Pulumi executable. Default `pulumi` (from PATH). */
  pulumi?: string;
  /** The Docker executable. Default `docker` (from PATH). */
  docker?: string;
  /** Backoff between throttled attempts; tests pass a no-op. */
  sleep?: Sleep;
  /**
   * This deploy runs networking-stack's deploy before the tap-stack's (`nx run tap-stack:deploy`: see
   * {@link deployCreatesNetworkingFirst}): a networking stack that does not exist yet is then planned, not missing.
   * Default false (a smoke copy deploys no networking stack).
   */
  networkingDeployedFirst?: boolean;
  /** The environment the tools check reads (`PULUMI_BACKEND_URL`). Default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/** The report's exit code: 1 when any check failed, else 0. */
function exitCodeOf(checks: readonly CheckResult[]): number {
  return checks.some((c) => c.status === 'fail') ? PREFLIGHT_EXIT.notReady : PREFLIGHT_EXIT.ready;
}

/**
 * Read-only checks of the account and the deploying machine for one stack. Never throws for an AWS problem: a run
 * that cannot check (no credentials, throttled past every retry, an AWS error) is a report with `exitCode` 2 and one
 * `error` line.
 *
 * @example
 * const report = await runPreflight({ target: preflightTarget('dev', 'apps/tap-stack/Pulumi.dev.yaml'), cwd: 'apps/tap-stack' });
 * report.exitCode; // 0 ready, 1 not ready, 2 could not check
 */
export async function runPreflight(options: PreflightOptions): Promise<PreflightReport> {
  const { target } = options;
  const sleep = options.sleep ?? realSleep;
  const ctx: CheckContext = {
    target,
    clients: options.clients ?? awsClients(target.region),
    call: async (what, fn) => {
      try {
        return await withThrottleRetry(what, fn, sleep);
      } catch (error) {
        if (isQuotaError(error)) throw quotaError(what, error, target.region);
        throw error;
      }
    },
    spawn: options.spawn ?? spawnTool,
    cwd: options.cwd,
    pulumi: options.pulumi ?? 'pulumi',
    docker: options.docker ?? 'docker',
    env: options.env ?? process.env,
  };
  const report: PreflightReport = { environment: target.environment, stack: target.stack, region: target.region, checks: [], exitCode: 0 };
  try {
    const { result, identity } = await checkCredentials(ctx);
    report.identity = identity;
    report.checks.push(result, checkRegion(target));
    // Read first: the instance class is checked against its private subnets' AZs, the security groups in its VPC.
    const networking = networkingState(ctx, options.networkingDeployedFirst ?? false);
    report.checks.push(...(await checkDatabase(ctx, networking)));
    report.checks.push(...(await checkLambda(ctx)));
    report.checks.push(...(await checkNetworking(ctx, networking)));
    report.checks.push(await checkNameClashes(ctx, networking, identity));
    report.checks.push(...checkTools(ctx));
    report.exitCode = exitCodeOf(report.checks);
  } catch (error) {
    report.exitCode = PREFLIGHT_EXIT.couldNotCheck;
    if (error instanceof PreflightError) report.error = error.message;
    else if (isCredentialError(error)) report.error = `AWS refused the credentials: ${firstLine((error as Error).message) ?? (error as Error).name}`;
    else {
      const e = error as Error;
      report.error = `could not check ${target.stack}: ${e.name && e.name !== 'Error' ? `${e.name}: ` : ''}${firstLine(e.message) ?? 'unknown error'}`;
    }
  }
  return report;
}
