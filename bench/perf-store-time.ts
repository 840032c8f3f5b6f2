// Where the store's time goes during a run: per service, command and collection, from the services' metrics.
import { round } from './perf-stats';

export interface StoreTimeRow {
  service: string;
  command: string;
  collection: string;
  count: number;
  seconds: number;
  meanMs: number;
}

/** Each service's store command counts and total seconds, from lienket_store_command_duration_seconds. */
export async function storeTime(
  urls: Record<string, string>,
): Promise<Map<string, { count: number; seconds: number }>> {
  const totals = new Map<string, { count: number; seconds: number }>();
  for (const [service, url] of Object.entries(urls)) {
    const text = await fetch(url)
      .then((r) => r.text())
      .catch(() => '');
    for (const match of text.matchAll(
      /^lienket_store_command_duration_seconds_(sum|count)\{command="([^"]*)",collection="([^"]*)"\} (\S+)$/gm,
    )) {
      const key = `${service}\t${match[2]}\t${match[3]}`;
      const entry = totals.get(key) ?? { count: 0, seconds: 0 };
      if (match[1] === 'sum') entry.seconds = Number(match[4]);
      else entry.count = Number(match[4]);
      totals.set(key, entry);
    }
  }
  return totals;
}

export function diffStoreTime(
  before: Map<string, { count: number; seconds: number }>,
  after: Map<string, { count: number; seconds: number }>,
): StoreTimeRow[] {
  const rows: StoreTimeRow[] = [];
  for (const [key, value] of after) {
    const earlier = before.get(key) ?? { count: 0, seconds: 0 };
    const count = value.count - earlier.count;
    if (count <= 0) continue;
    const seconds = value.seconds - earlier.seconds;
    const [service = '', command = '', collection = ''] = key.split('\t');
    rows.push({
      service,
      command,
      collection,
      count,
      seconds: round(seconds, 2),
      meanMs: round((seconds * 1000) / count, 2),
    });
  }
  return rows.sort((a, b) => b.seconds - a.seconds);
}
