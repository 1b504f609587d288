/** The subset of an API Gateway HTTP API (payload 2.0) / Function URL event the handler reads. */
export interface HttpEventV2 {
  version?: string;
  rawPath?: string;
  rawQueryString?: string;
  headers?: Record<string, string | undefined>;
  body?: string | null;
  isBase64Encoded?: boolean;
  requestContext?: {
    requestId?: string;
    http?: { method?: string; path?: string; sourceIp?: string };
  };
}

/** Payload 2.0 structured response. */
export interface HttpResultV2 {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** A validated POST /payments body. */
export interface PaymentRequest {
  merchantId: string;
  amount: number;
  currency: string;
  reference?: string;
  description?: string;
}

/** The API representation of a stored payment. */
export interface Payment {
  id: string;
  merchantId: string;
  amount: number;
  currency: string;
  reference: string | null;
  status: 'accepted';
  createdAt: string;
}

/** Credentials as stored in the Secrets Manager secret (RDS convention). */
export interface DatabaseSecret {
  host: string;
  port?: number | string;
  dbname?: string;
  username: string;
  password: string;
}

/** Counters of one execution environment, for tests, the benchmark and operators. */
export interface EnvironmentStats {
  /** Secret fetches that bypassed the cache because of 28P01. */
  secretRefetches: number;
  /** Physical connections opened. */
  connections: number;
  /** Milliseconds spent opening the most recent connection. */
  lastConnectMillis: number;
  invocations: number;
}

/** Minimal logger surface (Powertools Logger satisfies it). */
export interface LoggerLike {
  info(message: string, ...extra: unknown[]): void;
  warn(message: string, ...extra: unknown[]): void;
  error(message: string, ...extra: unknown[]): void;
  debug(message: string, ...extra: unknown[]): void;
}
