// What every drill shares: its settings and environment, its result, a load generator, the report of an invariant.
import type { Kafka } from 'kafkajs';
import type { Context, Invariant } from './checks';
import type { Platform, ServiceName } from './cluster';
import { type Attempt, Load } from './load';
import type { World } from './scenario';
import { log, round } from './util';

export interface Settings {
  quick: boolean;
  rate: number;
  brokerLoadMs: number;
  brokerDownMs: number;
  killPhaseMs: number;
  storeLoadMs: number;
  storeDownMs: number;
  drainTimeoutMs: number;
  /** Calls in flight at most (a client's connection pool); beyond it, due calls are counted as not sent. */
  concurrency: number;
  /** The load goes on at least this long after the broker, a service or the store is back. */
  afterRecoveryMs: number;
  /** A drain gives up when the work left shrank by less than 5 % in this long. */
  stallMs: number;
  duplicateSamplesPerTopic: number;
  duplicateCopies: number;
}

export interface DrillEnv {
  platform: Platform;
  ctx: Context;
  kafka: Kafka;
  world: World;
  token: string;
  settings: Settings;
}

export interface DrillResult {
  name: string;
  title: string;
  startedAt: string;
  durationS: number;
  pass: boolean;
  load?: unknown;
  recovery?: Record<string, unknown>;
  counts?: Record<string, unknown>;
  phases?: DrillResult[];
  invariants: Invariant[];
  notes?: string[];
}

export function newLoad(env: DrillEnv, tag: string, durationMs: number, status: () => string) {
  return new Load(env.ctx.clients, env.world, env.platform.gatewayUrl, env.token, {
    tag,
    rate: env.settings.rate,
    durationMs,
    httpShare: 0.2,
    offerEvery: 20,
    maxInflight: env.settings.concurrency,
    status,
  });
}

export const between = (attempts: Attempt[], from: number, to: number) =>
  attempts.filter((a) => a.t0 >= from && a.t0 < to);
export const okCount = (attempts: Attempt[]) => attempts.filter((a) => a.ok).length;

const reported = new WeakSet<Invariant>();
export function report(i: Invariant) {
  if (reported.has(i)) return;
  reported.add(i);
  log(`    ${i.pass ? 'PASS' : 'FAIL'}  ${i.name}: ${i.detail}`);
}

export function finish(result: Omit<DrillResult, 'pass' | 'durationS'>, started: number): DrillResult {
  const invariants = result.invariants;
  const phasesPass = (result.phases ?? []).every((p) => p.pass);
  const pass = invariants.every((i) => i.pass) && phasesPass;
  for (const i of invariants) report(i);
  return { ...result, pass, durationS: round((Date.now() - started) / 1000) };
}

/** The consumer groups each service runs (matchmaking's index group carries the drills' instance id). */
export const groupsOf: Record<ServiceName, string[]> = {
  registry: ['lienket-registry'],
  matchmaking: ['lienket-matchmaking', 'lienket-matchmaking-index-drills-1'],
  techtransfer: ['lienket-techtransfer'],
  insights: ['lienket-insights'],
  gateway: ['lienket-gateway-webhooks'],
};
