/** A small JSON client for the gateway's REST API, with the retries a seed needs. */

export interface Problem {
  status?: number;
  code?: string;
  detail?: string;
  errors?: { field: string; message: string }[];
}

export interface ApiResult<T> {
  status: number;
  body: T & Problem;
}

export interface CallOptions {
  token?: string | undefined;
  body?: unknown;
  query?: Record<string, string | number | boolean | readonly string[] | undefined>;
  /**
   * Whether repeating the call is harmless. Reads and PUTs are; a POST is only when its caller says so
   * (a state change it checks afterwards). A POST that timed out may have been applied, so it is not
   * repeated unless idempotent: a repeated "create" would make a duplicate.
   */
  idempotent?: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Calls in flight, adapted to how the platform copes (additive increase, multiplicative decrease): a slow
 * answer or an overload (timeout, unavailable, rate limit) halves the limit; a run of quick answers raises
 * it again, up to `max`. The platform's events and projections queue behind every write, so a seed that
 * pushes harder than it drains only makes everything slower.
 */
export class AdaptiveLimit {
  limit: number;
  private active = 0;
  private quick = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly max: number,
    readonly slowMs = 2_000,
  ) {
    this.limit = max;
  }

  async acquire(): Promise<void> {
    while (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active += 1;
  }

  release(elapsedMs: number, overloaded: boolean): void {
    this.active -= 1;
    if (overloaded || elapsedMs > this.slowMs) {
      this.limit = Math.max(1, Math.floor(this.limit / 2));
      this.quick = 0;
    } else if (++this.quick >= this.limit * 4 && this.limit < this.max) {
      this.limit += 1;
      this.quick = 0;
    }
    for (const wake of this.waiting.splice(0, Math.max(1, this.limit - this.active))) wake();
  }
}

/**
 * Problems worth retrying: rate limits (refused before anything happened), a service that could not be
 * reached, timeouts of idempotent calls, and projections that have not caught up yet.
 */
function retryDelay(
  status: number,
  body: Problem,
  retryAfter: string | null,
  attempt: number,
  idempotent: boolean,
): number | undefined {
  if (status === 429 && body.code !== 'OPEN_POSTING_LIMIT' && attempt < 10)
    return Math.max(250, Number(retryAfter ?? 1) * 1_000);
  if (status === 503 && attempt < 5) return 250 * 2 ** attempt;
  if ((status === 502 || status === 504) && idempotent && attempt < 5) return 250 * 2 ** attempt;
  // The techtransfer projection learns of a new enterprise from Kafka a moment after it registers.
  if (status === 422 && body.code === 'UNKNOWN_ENTERPRISE' && attempt < 40)
    return Math.min(1_000, 100 * 2 ** attempt);
  return undefined;
}

export class Api {
  /** Calls made, for the summary. */
  calls = 0;
  /** Retries by cause ("429", "504", "network", …). */
  readonly retries: Record<string, number> = {};

  readonly limiter: AdaptiveLimit;

  constructor(
    readonly baseUrl: string,
    concurrency = 4,
  ) {
    this.limiter = new AdaptiveLimit(concurrency);
  }

  url(path: string, query: CallOptions['query'] = {}): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value === undefined) continue;
      if (Array.isArray(value)) for (const v of value) params.append(key, String(v));
      else params.append(key, String(value));
    }
    const search = params.toString();
    return `${this.baseUrl.replace(/\/$/, '')}${path}${search ? `?${search}` : ''}`;
  }

  async call<T = Record<string, unknown>>(
    method: string,
    path: string,
    options: CallOptions = {},
  ): Promise<ApiResult<T>> {
    const url = this.url(path, options.query);
    const idempotent = options.idempotent ?? method !== 'POST';
    const retried = (cause: string) => {
      this.retries[cause] = (this.retries[cause] ?? 0) + 1;
    };
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      let text: string;
      await this.limiter.acquire();
      const started = Date.now();
      try {
        this.calls += 1;
        response = await fetch(url, {
          method,
          headers: {
            accept: 'application/json',
            ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
            ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
        });
        text = await response.text();
        this.limiter.release(Date.now() - started, [429, 503, 504].includes(response.status));
      } catch (error) {
        this.limiter.release(Date.now() - started, true);
        // A refused connection never reached the gateway; anything else may have.
        const refused = (error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED';
        if (attempt < 5 && (idempotent || refused)) {
          retried('network');
          await sleep(250 * 2 ** attempt);
          continue;
        }
        // Status 0: no answer, so whether a POST was applied is unknown.
        return {
          status: 0,
          body: { code: 'NO_ANSWER', detail: (error as Error).message } as T & Problem,
        };
      }
      let body: unknown = {};
      try {
        body = text ? JSON.parse(text) : {};
      } catch {
        body = { detail: text };
      }
      const delay = retryDelay(
        response.status,
        body as Problem,
        response.headers.get('retry-after'),
        attempt,
        idempotent,
      );
      if (delay !== undefined) {
        retried(String(response.status));
        await sleep(delay);
        continue;
      }
      return { status: response.status, body: body as T & Problem };
    }
  }
}

/** One line about a failed call: status, problem code and the first field error. */
export function describe(method: string, path: string, result: ApiResult<unknown>): string {
  const b = result.body;
  const field = b.errors?.[0] ? ` (${b.errors[0].field}: ${b.errors[0].message})` : '';
  return `${method} ${path} → ${result.status} ${b.code ?? ''} ${b.detail ?? ''}${field}`
    .replace(/\s+/g, ' ')
    .trim();
}
