import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { DEFAULTS, ERROR_CODES, LIMITS } from './constants';
import { type CredentialSource, Database } from './database';
import { ConfigurationError, DatabaseUnavailableError, HttpError } from './errors';
import { createPayment, findPayment } from './payments';
import type { EnvironmentStats, HttpEventV2, HttpResultV2, LoggerLike, Payment } from './types';
import { type DatabaseSsl, resolveSsl } from './tls';
import { isWellFormedText, parseIdempotencyKey, parsePaymentRequest } from './validation';

/** Options of one execution environment. Every default is resolved in {@link resolveSource}/{@link createPaymentHandler}. */
export interface PaymentHandlerOptions {
  /** Secrets Manager secret with host/port/dbname/username/password. Default: `process.env.DB_SECRET_ARN`. */
  secretArn?: string;
  /** Used when no secret ARN is set. Default: `process.env.DATABASE_URL`. */
  databaseUrl?: string;
  /** Default: `new SecretsManagerClient({})`, created (and the SDK loaded) on the first secret read. */
  secretsClient?: SecretsManagerClient;
  /** Seconds the secret is cached. Default: 300 (a 28P01 always bypasses the cache). */
  secretMaxAgeSeconds?: number;
  /** Default: a Powertools Logger for service `payment-processor`. */
  logger?: Logger;
  /** Default: Powertools Metrics, namespace `Tap/Payments` (or `POWERTOOLS_METRICS_NAMESPACE`). */
  metrics?: Metrics;
  /**
   * TLS for connections built from the secret: `require` verifies the server certificate and host name,
   * `disable` is for a local database only. Default: `process.env.DB_SSL`, else `require`. (A
   * `databaseUrl` carries its own `sslmode`.)
   */
  ssl?: DatabaseSsl;
  /** Default: 1. */
  retryAfterSeconds?: number;
  /** Default: 3000. */
  connectionTimeoutMillis?: number;
  /** Default: 5000. */
  statementTimeoutMillis?: number;
}

/** The Lambda context fields the handler uses. */
export interface LambdaContextLike {
  awsRequestId?: string;
}

/** One simulated (or real) Lambda execution environment: its handler, counters and teardown. */
export interface PaymentEnvironment {
  handler: (event: HttpEventV2, context?: LambdaContextLike) => Promise<HttpResultV2>;
  /**
   * A snapshot of this environment's counters: `secretRefetches` (cache-bypassing secret reads
   * after a 28P01; each also emits the `SecretRefetch` metric), `connections` opened,
   * `lastConnectMillis` and `invocations`.
   *
   * @example
   * const env = createPaymentHandler({ secretArn, secretsClient });
   * await env.handler(event);
   * env.stats().secretRefetches; // 1 after one password rotation
   */
  stats: () => EnvironmentStats;
  /** Ends the connection pool; the environment answers 503 afterwards. */
  close: () => Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PAYMENT_PATH = /^\/payments\/([^/]+)$/;

function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResultV2 {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...headers },
    body: JSON.stringify(body),
  };
}

const errorResult = (error: HttpError): HttpResultV2 =>
  json(
    error.statusCode,
    { error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) } },
    error.headers,
  );

function header(event: HttpEventV2, name: string): string | undefined {
  const headers = event.headers;
  // Payload 2.0 lower-cases header names; a local caller might not.
  const exact = headers?.[name];
  if (exact !== undefined) return exact;
  for (const key in headers) if (key.toLowerCase() === name) return headers[key];
  return undefined;
}

/** Stateless between calls (never streaming), so one serves every request. */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function readBody(event: HttpEventV2): unknown {
  const raw = event.body;
  if (raw === undefined || raw === null || raw === '') {
    throw new HttpError(400, ERROR_CODES.invalidJson, 'The request body must be a JSON object.');
  }
  if (typeof raw !== 'string') throw new HttpError(400, ERROR_CODES.invalidEvent, 'The event body is not a string.');
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : undefined;
  if ((bytes ? bytes.length : Buffer.byteLength(raw, 'utf8')) > LIMITS.maxBodyBytes) {
    throw new HttpError(413, ERROR_CODES.payloadTooLarge, `The request body exceeds ${LIMITS.maxBodyBytes} bytes.`);
  }
  const contentType = header(event, 'content-type');
  if (contentType !== undefined && !/^application\/json\s*(;|$)/i.test(contentType.trim())) {
    throw new HttpError(415, ERROR_CODES.unsupportedMediaType, 'Content-Type must be application/json.', 'Content-Type');
  }
  try {
    // A well-formed text body without a BOM is what encoding and decoding it would give back: skip both.
    if (!bytes && raw.charCodeAt(0) !== 0xfeff && isWellFormedText(raw)) return JSON.parse(raw);
    return JSON.parse(utf8.decode(bytes ?? Buffer.from(raw, 'utf8')));
  } catch {
    throw new HttpError(400, ERROR_CODES.invalidJson, 'The request body is not valid UTF-8 JSON.');
  }
}

function describeEvent(event: unknown): { method: string; path: string } {
  if (typeof event !== 'object' || event === null) {
    throw new HttpError(400, ERROR_CODES.invalidEvent, 'The event is not an HTTP API payload 2.0 event.');
  }
  const e = event as HttpEventV2;
  const method = e.requestContext?.http?.method;
  const path = e.rawPath ?? e.requestContext?.http?.path;
  if (typeof method !== 'string' || typeof path !== 'string') {
    throw new HttpError(400, ERROR_CODES.invalidEvent, 'The event is not an HTTP API payload 2.0 event.');
  }
  return { method: method.toUpperCase(), path };
}

function resolveSource(options: PaymentHandlerOptions): () => CredentialSource {
  return () => {
    const secretArn = options.secretArn ?? process.env.DB_SECRET_ARN;
    if (secretArn) {
      return {
        kind: 'secret',
        secretArn,
        secretsClient: options.secretsClient,
        maxAgeSeconds: options.secretMaxAgeSeconds ?? DEFAULTS.secretMaxAgeSeconds,
        ssl: resolveSsl(options.ssl ?? process.env.DB_SSL),
      };
    }
    const databaseUrl = options.databaseUrl ?? process.env.DATABASE_URL;
    if (databaseUrl) return { kind: 'url', databaseUrl };
    throw new ConfigurationError('Set DB_SECRET_ARN (or DATABASE_URL for local use).');
  };
}

/**
 * Creates an isolated execution environment: its own pool (max 1 connection, opened on first use),
 * its own secret cache, logger and metrics. Module scope of the Lambda creates one; tests and the
 * benchmark create several to simulate concurrent environments.
 *
 * Credentials: `secretArn` (or `DB_SECRET_ARN`) is read through `secretsClient` (default: a
 * `SecretsManagerClient` of the SDK v3, so `mockClient(SecretsManagerClient)` intercepts it), cached
 * for `secretMaxAgeSeconds`; a 28P01 refetches it bypassing the cache, reconnects and retries once,
 * counted in `stats().secretRefetches` and the `SecretRefetch` metric. Without a secret ARN,
 * `databaseUrl` (or `DATABASE_URL`) is used.
 *
 * @example
 * const env = createPaymentHandler({ databaseUrl: 'postgres://payment_app:pw@127.0.0.1:5432/payments' });
 * const res = await env.handler({ rawPath: '/payments', requestContext: { http: { method: 'POST' } },
 *   headers: { 'idempotency-key': 'k-1' }, body: '{"merchantId":"m_1","amount":1250,"currency":"EUR"}' });
 * env.stats(); // { secretRefetches: 0, connections: 1, lastConnectMillis: 4.2, invocations: 1 }
 * await env.close();
 *
 * @example
 * // Secrets Manager, e.g. under aws-sdk-client-mock in an end-to-end test
 * const env = createPaymentHandler({ secretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:app',
 *   secretsClient: new SecretsManagerClient({}) });
 */
export function createPaymentHandler(options: PaymentHandlerOptions = {}): PaymentEnvironment {
  const logger: LoggerLike & Partial<Pick<Logger, 'addContext'>> =
    options.logger ?? new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? DEFAULTS.serviceName });
  const metrics =
    options.metrics ??
    new Metrics({
      namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? DEFAULTS.metricsNamespace,
      serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? DEFAULTS.serviceName,
    });
  const retryAfter = String(options.retryAfterSeconds ?? DEFAULTS.retryAfterSeconds);
  const stats: EnvironmentStats = { secretRefetches: 0, connections: 0, lastConnectMillis: 0, invocations: 0 };
  const database = new Database({
    source: resolveSource(options),
    logger,
    stats,
    onSecretRefetch: () => metrics.addMetric('SecretRefetch', MetricUnit.Count, 1),
    connectionTimeoutMillis: options.connectionTimeoutMillis ?? DEFAULTS.connectionTimeoutMillis,
    statementTimeoutMillis: options.statementTimeoutMillis ?? DEFAULTS.statementTimeoutMillis,
    applicationName: DEFAULTS.serviceName,
  });

  async function postPayment(event: HttpEventV2, log: Record<string, unknown>): Promise<HttpResultV2> {
    const key = parseIdempotencyKey(header(event, 'idempotency-key'));
    const request = parsePaymentRequest(readBody(event));
    log.merchantId = request.merchantId;
    const outcome = await database.run((client) => createPayment(client, key, request));
    if (outcome.kind === 'conflict') {
      metrics.addMetric('IdempotencyKeyReused', MetricUnit.Count, 1);
      throw new HttpError(
        422,
        ERROR_CODES.idempotencyKeyReused,
        'This Idempotency-Key was already used with a different request body.',
        'Idempotency-Key',
      );
    }
    log.paymentId = outcome.payment.id;
    if (outcome.kind === 'replayed') {
      log.replayed = true;
      metrics.addMetric('PaymentReplayed', MetricUnit.Count, 1);
      return json(200, outcome.payment, { 'idempotent-replayed': 'true' });
    }
    metrics.addMetric('PaymentAccepted', MetricUnit.Count, 1);
    return json(201, outcome.payment, { location: `/payments/${outcome.payment.id}` });
  }

  async function getPayment(id: string): Promise<HttpResultV2> {
    const notFound = new HttpError(404, ERROR_CODES.paymentNotFound, 'No payment with this id.', 'id');
    if (!UUID.test(id)) throw notFound;
    const payment: Payment | undefined = await database.run((client) => findPayment(client, id.toLowerCase()));
    if (!payment) throw notFound;
    return json(200, payment);
  }

  async function route(event: HttpEventV2, log: Record<string, unknown>): Promise<HttpResultV2> {
    const { method, path } = describeEvent(event);
    log.method = method;
    if (path === '/payments') {
      log.route = 'POST /payments';
      if (method !== 'POST') {
        throw new HttpError(405, ERROR_CODES.methodNotAllowed, `${method} is not allowed on ${path}.`, undefined, {
          allow: 'POST',
        });
      }
      return postPayment(event, log);
    }
    const match = PAYMENT_PATH.exec(path);
    if (match) {
      log.route = 'GET /payments/{id}';
      if (method !== 'GET') {
        throw new HttpError(405, ERROR_CODES.methodNotAllowed, `${method} is not allowed on /payments/{id}.`, undefined, {
          allow: 'GET',
        });
      }
      return getPayment(decodeURIComponent(match[1]));
    }
    throw new HttpError(404, ERROR_CODES.notFound, 'No such route.');
  }

  async function handler(event: HttpEventV2, context?: LambdaContextLike): Promise<HttpResultV2> {
    const started = performance.now();
    stats.invocations += 1;
    if (stats.invocations === 1) metrics.captureColdStartMetric();
    const log: Record<string, unknown> = { requestId: context?.awsRequestId ?? event?.requestContext?.requestId };
    let result: HttpResultV2;
    try {
      result = await route(event, log);
    } catch (error) {
      result = toErrorResult(error, log);
    }
    log.statusCode = result.statusCode;
    log.durationMs = Math.round((performance.now() - started) * 100) / 100;
    metrics.addMetric(`Status${Math.floor(result.statusCode / 100)}xx`, MetricUnit.Count, 1);
    logger.info('request completed', log);
    metrics.publishStoredMetrics();
    return result;
  }

  function toErrorResult(error: unknown, log: Record<string, unknown>): HttpResultV2 {
    if (error instanceof HttpError) {
      log.errorCode = error.code;
      return errorResult(error);
    }
    if (error instanceof DatabaseUnavailableError) {
      log.errorCode = ERROR_CODES.serviceUnavailable;
      logger.error('Database unavailable', { reason: error.message });
      return errorResult(
        new HttpError(503, ERROR_CODES.serviceUnavailable, 'The payment service is temporarily unavailable; retry later.', undefined, {
          'retry-after': retryAfter,
        }),
      );
    }
    log.errorCode = ERROR_CODES.internal;
    // Only name and message: a driver error can carry parameters, and we never log request bodies.
    logger.error('Unhandled error', {
      errorName: error instanceof Error ? error.name : 'unknown',
      reason: error instanceof Error ? error.message : String(error),
    });
    return errorResult(new HttpError(500, ERROR_CODES.internal, 'Internal error.'));
  }

  return { handler, stats: () => ({ ...stats }), close: () => database.close() };
}
