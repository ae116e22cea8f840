/**
 * What every AWS service collector gets: the account and region it works in, SDK clients
 * built with that account's credentials, and `call` — one API call with the SDK's adaptive
 * retries plus this project's throttling retry loop on top (see common/retry.ts).
 */
import { type ErrorLog, noteOperation } from '../common/collection-errors.js';
import { withRetry } from '../common/retry.js';
import { isAwsThrottling } from './throttling.js';

/** AWS credentials, structurally the SDK's AwsCredentialIdentity. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}
/** A provider the SDK calls (and re-calls near `expiration`) for credentials. */
export type Credentials = AwsCredentials | (() => Promise<AwsCredentials>);

export interface RetryPolicy {
  /** SDK attempts per call (its own backoff, adaptive rate limiting) */
  sdkMaxAttempts: number;
  /** further retries of a throttled call after the SDK gave up */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  sdkMaxAttempts: 8,
  retries: 5,
  baseDelayMs: 1000,
  maxDelayMs: 30_000,
};

type ClientCtor<C> = new (config: {
  region: string;
  credentials: Credentials;
  maxAttempts: number;
  retryMode: string;
}) => C;

/** Builds and caches SDK clients per (client class, region, credentials). */
export class ClientPool {
  private readonly cache = new Map<unknown, Map<string, unknown>>();

  constructor(
    readonly credentials: Credentials,
    private readonly retry: RetryPolicy,
  ) {}

  get<C>(ctor: ClientCtor<C>, region: string): C {
    let byRegion = this.cache.get(ctor);
    if (!byRegion) {
      byRegion = new Map();
      this.cache.set(ctor, byRegion);
    }
    let client = byRegion.get(region) as C | undefined;
    if (!client) {
      client = new ctor({
        region,
        credentials: this.credentials,
        maxAttempts: this.retry.sdkMaxAttempts,
        // adaptive: standard retries plus client-side rate limiting once throttled
        retryMode: 'adaptive',
      });
      byRegion.set(region, client);
    }
    return client;
  }

  destroy(): void {
    for (const byRegion of this.cache.values())
      for (const c of byRegion.values()) (c as { destroy?: () => void }).destroy?.();
    this.cache.clear();
  }
}

export class AwsContext {
  constructor(
    readonly accountId: string,
    readonly partition: string,
    readonly clients: ClientPool,
    readonly errors: ErrorLog,
    private readonly retry: RetryPolicy,
    private readonly onThrottle?: (what: string, delayMs: number) => void,
  ) {}

  /** One API call, retried on throttling beyond the SDK's own attempts. */
  call<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    return withRetry(
      async () => {
        try {
          return await fn();
        } catch (err) {
          noteOperation(err, operation);
          throw err;
        }
      },
      {
        retries: this.retry.retries,
        baseDelayMs: this.retry.baseDelayMs,
        maxDelayMs: this.retry.maxDelayMs,
        isRetryable: isAwsThrottling,
        sleep: this.retry.sleep,
        random: this.retry.random,
        onRetry: (_err, _attempt, delay) => this.onThrottle?.(operation, delay),
      },
    );
  }

  /** Every page of a paginated API, each page call retried on its own. */
  async pages<P>(
    operation: string,
    fetch: (token: string | undefined) => Promise<P>,
    nextToken: (page: P) => string | undefined,
  ): Promise<P[]> {
    const out: P[] = [];
    const seen = new Set<string>();
    let token: string | undefined;
    do {
      const page = await this.call(operation, () => fetch(token));
      out.push(page);
      token = nextToken(page) || undefined;
      // A token handed back twice would loop forever; AWS never does that on purpose.
      if (token !== undefined) {
        if (seen.has(token)) throw new Error(`${operation}: the API returned the same page token twice`);
        seen.add(token);
      }
    } while (token !== undefined);
    return out;
  }

  arn(service: string, region: string, resource: string): string {
    return `arn:${this.partition}:${service}:${region}:${this.accountId}:${resource}`;
  }
}
