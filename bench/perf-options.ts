// Settings of the platform benchmark (bench/performance.ts): sections, targets and the command-line options.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

export const ROOT = resolve(__dirname, '../..');
const SECTIONS = ['pipeline', 'gateway', 'latency'] as const;
type Section = (typeof SECTIONS)[number];

/** Seeding posts this many at a time and waits for the registry to publish them (see paced). */
export const SEED_CHUNK = 20;

export const TARGET = {
  latencyP99Ms: 250,
  latencyRate: 200,
  /** Store commands per posted need, every service together (issue 16). */
  storeCommandsPerNeed: 10,
  relayShare: 0.5,
  gatewayShare: 0.5,
};

/** The load curve's offered rates (needs/s) unless --rates says otherwise. */
export const DEFAULT_RATES = [10, 50, 100, 200];

// ---------------------------------------------------------------- options

export interface Options {
  only: Section[];
  quick: boolean;
  /** The load curve: one phase per offered rate (needs/s), in this order. */
  rates: number[];
  /** Seconds of posting per rate. */
  durationS: number;
  /** Needs posted at a low rate first, not measured (connections, JIT, consumer fetch sessions). */
  warmupNeeds: number;
  /** Seconds of no load, to count the store commands the services send on their own (jobs, leases). */
  idleS: number;
  drainS: number;
  enterprises: number;
  capabilities: number;
  pipelineEvents: number;
  rawRecords: number;
  payloadBytes: number;
  gatewaySeconds: number;
  gatewayRounds: number;
  connections: number;
  /** null: the services' default (200). */
  relayBatch: number | null;
  telemetry: boolean;
  seed: number;
  out: string;
  svg: string;
}

function positive(name: string, text: string | undefined): number {
  const value = Number(String(text).replace(/_/g, ''));
  if (!Number.isFinite(value) || value <= 0)
    throw new RangeError(`--${name} must be a positive number, got ${text}`);
  return value;
}

export function options(argv: string[] = process.argv.slice(2)): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      only: { type: 'string' },
      quick: { type: 'boolean', default: false },
      rates: { type: 'string' },
      rate: { type: 'string' },
      duration: { type: 'string' },
      'warmup-needs': { type: 'string' },
      idle: { type: 'string' },
      drain: { type: 'string' },
      enterprises: { type: 'string' },
      capabilities: { type: 'string' },
      'pipeline-events': { type: 'string' },
      'raw-records': { type: 'string' },
      'payload-bytes': { type: 'string' },
      'gateway-seconds': { type: 'string' },
      'gateway-rounds': { type: 'string' },
      connections: { type: 'string' },
      'relay-batch': { type: 'string' },
      'without-telemetry': { type: 'boolean', default: false },
      seed: { type: 'string', default: '20250701' },
      out: { type: 'string' },
      svg: { type: 'string' },
    },
  });
  const quick = values.quick === true;
  // --quick: small and short, to check that everything works (its figures mean little).
  const d = quick
    ? {
        rates: '10,50',
        duration: '10',
        drain: '20',
        ent: '60',
        cap: '120',
        events: '300',
        raw: '50000',
        gs: '3',
        gr: '1',
      }
    : {
        rates: DEFAULT_RATES.join(','),
        duration: '60',
        drain: '60',
        ent: '300',
        cap: '600',
        events: '1000',
        raw: '300000',
        gs: '10',
        gr: '2',
      };
  const only = (values.only ?? SECTIONS.join(','))
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const s of only)
    if (!(SECTIONS as readonly string[]).includes(s))
      throw new RangeError(`--only takes ${SECTIONS.join(', ')}; got ${s}`);
  const defaultOut = quick ? 'bench/results/performance.quick.json' : 'bench/results/performance.json';
  const out = resolve(ROOT, values.out ?? defaultOut);
  return {
    only: only as Section[],
    quick,
    // --rate N is one point of the curve (the runs before the curve took it).
    rates: (values.rates ?? values.rate ?? d.rates).split(',').map((r) => positive('rates', r.trim())),
    durationS: positive('duration', values.duration ?? d.duration),
    warmupNeeds: Math.round(positive('warmup-needs', values['warmup-needs'] ?? '20')),
    idleS: positive('idle', values.idle ?? (quick ? '5' : '15')),
    drainS: positive('drain', values.drain ?? d.drain),
    enterprises: Math.round(positive('enterprises', values.enterprises ?? d.ent)),
    capabilities: Math.round(positive('capabilities', values.capabilities ?? d.cap)),
    pipelineEvents: Math.round(positive('pipeline-events', values['pipeline-events'] ?? d.events)),
    rawRecords: Math.round(positive('raw-records', values['raw-records'] ?? d.raw)),
    payloadBytes: Math.round(positive('payload-bytes', values['payload-bytes'] ?? '400')),
    gatewaySeconds: positive('gateway-seconds', values['gateway-seconds'] ?? d.gs),
    gatewayRounds: Math.round(positive('gateway-rounds', values['gateway-rounds'] ?? d.gr)),
    connections: Math.round(positive('connections', values.connections ?? '16')),
    relayBatch:
      values['relay-batch'] === undefined ? null : Math.round(positive('relay-batch', values['relay-batch'])),
    telemetry: values['without-telemetry'] !== true,
    seed: Math.round(positive('seed', values.seed)),
    out,
    svg: resolve(ROOT, values.svg ?? out.replace(/\.json$/, '.svg')),
  };
}
