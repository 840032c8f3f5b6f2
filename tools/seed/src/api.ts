/**
 * The seed's client of the gateway: @lienket/api-client (openapi-fetch, typed by the gateway's OpenAPI document)
 * over a fetch that adds what a seed needs: calls in flight adapted to how the platform copes, and retries.
 */
import { type ApiClient, createApiClient, type Problem as DocumentProblem } from '@lienket/api-client';

/** A problem as the seed reads it: the gateway's, or one made up when no problem came. */
export type Problem = Partial<DocumentProblem>;

/** A call's outcome: status 0 when no answer came (so whether a POST was applied is unknown). */
export interface ApiResult<T> {
  status: number;
  /** The answer's body when the call succeeded. */
  data: T | undefined;
  /** The problem when it did not (empty when it did). */
  problem: Problem;
}

/** What openapi-fetch resolves to. */
export interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

export interface CallOptions {
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
  problem: Problem,
  retryAfter: string | null,
  attempt: number,
  idempotent: boolean,
): number | undefined {
  if (status === 429 && problem.code !== 'OPEN_POSTING_LIMIT' && attempt < 10)
    return Math.max(250, Number(retryAfter ?? 1) * 1_000);
  if (status === 503 && attempt < 5) return 250 * 2 ** attempt;
  if ((status === 502 || status === 504) && idempotent && attempt < 5) return 250 * 2 ** attempt;
  // The techtransfer projection learns of a new enterprise from Kafka a moment after it registers.
  if (status === 422 && problem.code === 'UNKNOWN_ENTERPRISE' && attempt < 40)
    return Math.min(1_000, 100 * 2 ** attempt);
  return undefined;
}

const NULL_BODY = new Set([101, 204, 205, 304]);

const problemOf = (error: unknown, response: Response): Problem =>
  error && typeof error === 'object'
    ? (error as Problem)
    : {
        status: response.status,
        detail: typeof error === 'string' ? error.slice(0, 200) : response.statusText,
      };

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

  /**
   * One call through the typed client, acting with `token`:
   * `api.call(token, (c) => c.POST('/v1/needs', { body }))`. A problem answer is a result, not an exception;
   * so is no answer at all (status 0).
   */
  async call<T>(
    token: string | undefined,
    send: (client: ApiClient) => Promise<Answer<T>>,
    options: CallOptions = {},
  ): Promise<ApiResult<T>> {
    const client = createApiClient({
      baseUrl: this.baseUrl,
      ...(token ? { token } : {}),
      fetch: (request) => this.fetch(request, options.idempotent ?? request.method !== 'POST'),
    });
    try {
      const { data, error, response } = await send(client);
      return response.ok
        ? { status: response.status, data, problem: {} }
        : { status: response.status, data: undefined, problem: problemOf(error, response) };
    } catch (error) {
      return { status: 0, data: undefined, problem: { code: 'NO_ANSWER', detail: (error as Error).message } };
    }
  }

  /** The fetch under the client: waits for room under the limit, retries what is worth retrying. */
  private async fetch(request: Request, idempotent: boolean): Promise<Response> {
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
        response = await fetch(request.clone());
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
        throw error;
      }
      let problem: Problem = {};
      try {
        problem = text ? (JSON.parse(text) as Problem) : {};
      } catch {
        problem = { detail: text };
      }
      const delay = retryDelay(
        response.status,
        problem ?? {},
        response.headers.get('retry-after'),
        attempt,
        idempotent,
      );
      if (delay !== undefined) {
        retried(String(response.status));
        await sleep(delay);
        continue;
      }
      // The body was read to decide; the client gets the same answer to read again.
      return new Response(NULL_BODY.has(response.status) ? null : text, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    }
  }
}

/** One line about a failed call: status, problem code and the first field error. */
export function describe(method: string, path: string, result: ApiResult<unknown>): string {
  const b = result.problem;
  const field = b.errors?.[0] ? ` (${b.errors[0].field}: ${b.errors[0].message})` : '';
  return `${method} ${path} → ${result.status} ${b.code ?? ''} ${b.detail ?? ''}${field}`
    .replace(/\s+/g, ' ')
    .trim();
}
