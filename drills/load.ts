// Sustained writes at a steady rate: needs through the registry's gRPC API and the gateway's REST
// API, and technology offers through techtransfer. Every attempt and its outcome is kept.
import { registryV1 } from '@lienket/contracts';
import { admin, as, type Clients, errorCode, firm, httpPost, retryableGrpc, retryableHttp } from './clients';
import { HS_CODES, needInput, offerInput, type World } from './scenario';
import { log, percentile, round, sleep } from './util';

export interface Attempt {
  seq: number;
  kind: 'need' | 'offer';
  via: 'grpc' | 'http';
  title: string;
  technology: boolean;
  t0: number;
  t1: number;
  ok: boolean;
  /** OK, a gRPC status name, `HTTP <status>`, or a transport error name. */
  code: string;
  /** A refusal the caller is told it may retry (gRPC UNAVAILABLE/DEADLINE_EXCEEDED, HTTP 503/504 problem, no connection). */
  retryable: boolean;
  /** The refusal came as application/problem+json (HTTP). */
  problem?: boolean;
  id?: string;
}

export interface LoadOptions {
  tag: string;
  rate: number;
  durationMs: number;
  /** Share of needs sent through the gateway (REST) rather than the registry (gRPC). */
  httpShare: number;
  /** One offer (create + publish) per this many needs. */
  offerEvery: number;
  maxInflight: number;
  /** A short status for the progress line (e.g. "broker down"). */
  status?: () => string;
}

export class Load {
  readonly attempts: Attempt[] = [];
  inflight = 0;
  /** Calls in flight at once, at most. */
  peakInflight = 0;
  missed = 0;
  startedAt = 0;
  endedAt = 0;
  private seq = 0;
  private endAt = 0;

  constructor(
    private readonly clients: Clients,
    private readonly world: World,
    private readonly gatewayUrl: string,
    private readonly token: string,
    private readonly options: LoadOptions,
  ) {}

  private async need(seq: number): Promise<Attempt> {
    const { world, options } = this;
    const technology = seq % 25 === 24;
    const viaHttp = (seq * 7919) % 100 < options.httpShare * 100;
    const enterpriseId = world.buyers[seq % world.buyers.length] as string;
    const hs = HS_CODES[(seq * 31) % HS_CODES.length] as string;
    const title = `drill ${options.tag} need ${seq}`;
    const category = technology
      ? registryV1.NeedCategory.NEED_CATEGORY_TECHNOLOGY
      : registryV1.NeedCategory.NEED_CATEGORY_MATERIAL;
    const attempt: Attempt = {
      seq,
      kind: 'need',
      via: viaHttp ? 'http' : 'grpc',
      title,
      technology,
      t0: Date.now(),
      t1: 0,
      ok: false,
      code: '',
      retryable: false,
    };
    try {
      if (viaHttp) {
        const answer = await httpPost(`${this.gatewayUrl}/v1/needs`, this.token, {
          enterpriseId,
          title,
          description: 'Cần nguồn cung ổn định hằng tháng',
          category: technology ? 'NEED_CATEGORY_TECHNOLOGY' : 'NEED_CATEGORY_MATERIAL',
          hsCodes: [hs],
          quantityPerMonth: { value: 100, unit: 'tấn' },
        });
        attempt.ok = answer.status === 201;
        attempt.code = attempt.ok ? 'OK' : `HTTP ${answer.status}`;
        attempt.problem = answer.contentType.includes('application/problem+json');
        attempt.retryable = retryableHttp.has(answer.status) && attempt.problem;
        if (attempt.ok) attempt.id = (answer.body?.need as { id?: string } | undefined)?.id;
      } else {
        const { need } = await this.clients.registry.postNeed(
          { need: needInput(enterpriseId, title, hs, category) },
          as(admin),
        );
        attempt.ok = true;
        attempt.code = 'OK';
        attempt.id = need?.id;
      }
    } catch (error) {
      attempt.code = errorCode(error);
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      if (viaHttp) {
        // No answer at all (the gateway is down): nothing could have been written by this call's
        // gateway, but the registry may have been reached before the connection broke.
        attempt.code = cause ?? attempt.code;
        attempt.retryable = true;
      } else {
        attempt.retryable = retryableGrpc.has(attempt.code);
      }
    }
    attempt.t1 = Date.now();
    return attempt;
  }

  private async offer(seq: number): Promise<Attempt> {
    const owner = this.world.institute;
    const title = `drill ${this.options.tag} offer ${seq}`;
    const attempt: Attempt = {
      seq,
      kind: 'offer',
      via: 'grpc',
      title,
      technology: true,
      t0: Date.now(),
      t1: 0,
      ok: false,
      code: '',
      retryable: false,
    };
    try {
      const created = await this.clients.techtransfer.createOffer(
        { offer: offerInput(owner, title) },
        as(firm(owner)),
      );
      attempt.id = created.offer?.id;
      await this.clients.techtransfer.publishOffer({ offerId: attempt.id ?? '' }, as(firm(owner)));
      attempt.ok = true;
      attempt.code = 'OK';
    } catch (error) {
      attempt.code = errorCode(error);
      attempt.retryable = retryableGrpc.has(attempt.code);
    }
    attempt.t1 = Date.now();
    return attempt;
  }

  private fire(work: () => Promise<Attempt>) {
    this.inflight += 1;
    this.peakInflight = Math.max(this.peakInflight, this.inflight);
    void work().then((attempt) => {
      this.inflight -= 1;
      this.attempts.push(attempt);
    });
  }

  /** Runs the load for its duration at its rate; resolves when every request has answered. */
  async run(): Promise<void> {
    const { rate, durationMs, maxInflight, offerEvery } = this.options;
    this.startedAt = Date.now();
    this.endAt = Math.max(this.endAt, this.startedAt + durationMs);
    let lastReport = this.startedAt;
    let reportedCount = 0;
    while (Date.now() < this.endAt) {
      const due = Math.floor(((Date.now() - this.startedAt) / 1000) * rate);
      while (this.seq < due) {
        if (this.inflight >= maxInflight) {
          this.missed += due - this.seq;
          this.seq = due;
          break;
        }
        const seq = this.seq;
        this.seq += 1;
        this.fire(() => this.need(seq));
        if (offerEvery > 0 && seq % offerEvery === offerEvery - 1) this.fire(() => this.offer(seq));
      }
      if (Date.now() - lastReport >= 2_000) {
        const window = this.attempts.slice(reportedCount);
        reportedCount = this.attempts.length;
        this.progress(window, (Date.now() - lastReport) / 1000);
        lastReport = Date.now();
      }
      await sleep(10);
    }
    this.endedAt = Date.now();
    while (this.inflight > 0) await sleep(20);
    this.progress(this.attempts.slice(reportedCount), (Date.now() - lastReport) / 1000);
    if (this.missed > 0)
      log(
        `    the load generator skipped ${this.missed} of ${this.seq} needs due at ${rate}/s: ${maxInflight} calls were in flight (--concurrency)`,
      );
  }

  /** Keeps the load going until `releaseAt` is called (while something is down). */
  holdOpen() {
    this.endAt = Number.POSITIVE_INFINITY;
  }

  /** Ends the load at its planned end, or at `at` if that is later (e.g. some time after a restart). */
  releaseAt(at: number) {
    this.endAt = Math.max(this.startedAt + this.options.durationMs, at);
  }

  private progress(window: Attempt[], seconds: number) {
    const ok = window.filter((a) => a.ok);
    const failed = window.length - ok.length;
    const latencies = ok.map((a) => a.t1 - a.t0);
    const codes = new Map<string, number>();
    for (const a of window) if (!a.ok) codes.set(a.code, (codes.get(a.code) ?? 0) + 1);
    const total = this.attempts.length;
    const t = ((Date.now() - this.startedAt) / 1000).toFixed(0);
    log(
      `    t=${t.padStart(3)}s  sent ${String(total).padStart(6)}  ok/s ${String(round(ok.length / Math.max(seconds, 0.001), 0)).padStart(4)}` +
        `  failed ${failed}${codes.size ? ` (${[...codes].map(([c, n]) => `${c}:${n}`).join(' ')})` : ''}` +
        `  p50 ${percentile(latencies, 50)} ms p99 ${percentile(latencies, 99)} ms  in flight ${this.inflight}` +
        `${this.missed ? `  behind ${this.missed}` : ''}${this.options.status ? `  | ${this.options.status()}` : ''}`,
    );
  }

  summary() {
    const needs = this.attempts.filter((a) => a.kind === 'need');
    const offers = this.attempts.filter((a) => a.kind === 'offer');
    const seconds = Math.max(0.001, (this.endedAt - this.startedAt) / 1000);
    const okNeeds = needs.filter((a) => a.ok);
    const latencies = okNeeds.map((a) => a.t1 - a.t0);
    const codes: Record<string, number> = {};
    for (const a of this.attempts)
      if (!a.ok) codes[`${a.kind} ${a.via} ${a.code}`] = (codes[`${a.kind} ${a.via} ${a.code}`] ?? 0) + 1;
    return {
      targetRatePerS: this.options.rate,
      durationS: round(seconds),
      needsSent: needs.length,
      needsAccepted: okNeeds.length,
      needsRefused: needs.length - okNeeds.length,
      sentPerS: round(needs.length / seconds),
      acceptedPerS: round(okNeeds.length / seconds),
      viaHttp: needs.filter((a) => a.via === 'http').length,
      viaGrpc: needs.filter((a) => a.via === 'grpc').length,
      offersSent: offers.length,
      offersAccepted: offers.filter((a) => a.ok).length,
      notSentClientSaturated: this.missed,
      peakInflight: this.peakInflight,
      maxInflight: this.options.maxInflight,
      latencyMs: {
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95),
        p99: percentile(latencies, 99),
        max: percentile(latencies, 100),
      },
      refusals: codes,
    };
  }
}
