// Store commands per posted need, every service together: each service's lienket_store_commands_total (the
// driver's command monitoring, packages/platform metrics.ts) scraped before and after a phase of N posted needs,
// once everything the needs set off has happened, divided by N; by service and by command and collection.
import { round } from './perf-stats';

/** One counter of lienket_store_commands_total: service, command, collection, outcome. */
export interface CommandCount {
  service: string;
  command: string;
  collection: string;
  outcome: string;
  count: number;
}

export type CommandCounts = Map<string, CommandCount>;

const LINE = /^lienket_store_commands_total\{([^}]*)\} (\S+)$/gm;
const LABEL = /(\w+)="((?:[^"\\]|\\.)*)"/g;

/** The counters of one service's /metrics text (labels in any order). */
export function parseStoreCommands(service: string, text: string, into: CommandCounts = new Map()) {
  for (const line of text.matchAll(LINE)) {
    const labels: Record<string, string> = {};
    for (const label of (line[1] ?? '').matchAll(LABEL)) labels[label[1] as string] = label[2] as string;
    const entry: CommandCount = {
      service,
      command: labels.command ?? '',
      collection: labels.collection ?? '',
      outcome: labels.outcome ?? '',
      count: Number(line[2]),
    };
    into.set(`${service}\t${entry.command}\t${entry.collection}\t${entry.outcome}`, entry);
  }
  return into;
}

/**
 * Scrapes every service's /metrics, three tries of 10 s each (a scrape also asks Kafka for the
 * dead-letter topics' sizes, which can take long on a loaded machine); a service that answers none
 * with 200 is named in `unreachable`.
 */
export async function scrapeStoreCommands(
  urls: Record<string, string>,
): Promise<{ counts: CommandCounts; unreachable: string[] }> {
  const counts: CommandCounts = new Map();
  const unreachable: string[] = [];
  await Promise.all(
    Object.entries(urls).map(async ([service, url]) => {
      for (let attempt = 1; ; attempt += 1) {
        try {
          const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
          if (!response.ok) throw new Error(`${service} /metrics answered ${response.status}`);
          parseStoreCommands(service, await response.text(), counts);
          return;
        } catch {
          if (attempt >= 3) {
            unreachable.push(service);
            return;
          }
        }
      }
    }),
  );
  return { counts, unreachable };
}

export interface CommandRow {
  service: string;
  command: string;
  collection: string;
  count: number;
  perNeed: number;
}

export interface StoreCommandsPerNeed {
  needs: number;
  seconds: number;
  total: number;
  errors: number;
  perNeed: number;
  /** What the services send with no load over the same time (idle rate × seconds), and the figure without it. */
  background: number;
  perNeedWithoutBackground: number;
  byService: Record<string, number>;
  /** By service, command and collection, most first. */
  byCommand: CommandRow[];
  /** The counters were read once every consumer group of the run had committed to the end and no outbox held an event. */
  settled: boolean;
  /**
   * Settled, and every POST of the phase was accepted and answered: the count is then the whole cost of `needs`
   * needs. Otherwise it is a lower bound, or, when POSTs were refused after the registry had stored them (a gateway
   * timeout), counts the work of needs the divisor leaves out.
   */
  exact: boolean;
  unreachable: string[];
}

/** Commands each service sent between two scrapes (all outcomes), by service, command and collection. */
export function diffCommands(before: CommandCounts, after: CommandCounts) {
  const rows = new Map<string, Omit<CommandRow, 'perNeed'>>();
  let errors = 0;
  for (const [key, value] of after) {
    const delta = value.count - (before.get(key)?.count ?? 0);
    if (delta <= 0) continue;
    if (value.outcome === 'error') errors += delta;
    const rowKey = `${value.service}\t${value.command}\t${value.collection}`;
    const row = rows.get(rowKey) ?? {
      service: value.service,
      command: value.command,
      collection: value.collection,
      count: 0,
    };
    row.count += delta;
    rows.set(rowKey, row);
  }
  return { rows: [...rows.values()], errors };
}

/** Commands per second each service sends on its own, from scrapes `seconds` apart with no load. */
export function idleRate(before: CommandCounts, after: CommandCounts, seconds: number) {
  const { rows } = diffCommands(before, after);
  const byService: Record<string, number> = {};
  for (const row of rows) byService[row.service] = (byService[row.service] ?? 0) + row.count / seconds;
  const perSecond = Object.values(byService).reduce((a, b) => a + b, 0);
  return {
    seconds,
    perSecond: round(perSecond, 2),
    byService: Object.fromEntries(Object.entries(byService).map(([s, v]) => [s, round(v, 2)])),
    byCommand: rows
      .sort((a, b) => b.count - a.count)
      .map((r) => ({ ...r, perSecond: round(r.count / seconds, 2) })),
  };
}

export function perNeed(
  before: CommandCounts,
  after: CommandCounts,
  needs: number,
  seconds: number,
  idlePerSecond: number,
  state: { settled: boolean; exact: boolean },
  unreachable: string[],
): StoreCommandsPerNeed {
  const { rows, errors } = diffCommands(before, after);
  const total = rows.reduce((sum, r) => sum + r.count, 0);
  const n = Math.max(1, needs);
  const byService: Record<string, number> = {};
  for (const row of rows) byService[row.service] = (byService[row.service] ?? 0) + row.count;
  const background = Math.round(idlePerSecond * seconds);
  return {
    needs,
    seconds: round(seconds, 1),
    total,
    errors,
    perNeed: round(total / n, 2),
    background,
    perNeedWithoutBackground: round(Math.max(0, total - background) / n, 2),
    byService: Object.fromEntries(
      Object.entries(byService)
        .sort((a, b) => b[1] - a[1])
        .map(([s, v]) => [s, round(v / n, 2)]),
    ),
    byCommand: rows.sort((a, b) => b.count - a.count).map((r) => ({ ...r, perNeed: round(r.count / n, 3) })),
    settled: state.settled,
    exact: state.exact && state.settled,
    unreachable,
  };
}
