export const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

const started = Date.now();

/** One progress line on stderr, stamped with the time since the run started. */
export function log(text: string): void {
  const s = ((Date.now() - started) / 1000).toFixed(0).padStart(5);
  process.stderr.write(`[${s}s] ${text}\n`);
}

export async function waitUntil(
  check: () => Promise<boolean> | boolean,
  { timeoutMs, what, intervalMs = 250 }: { timeoutMs: number; what: string; intervalMs?: number },
): Promise<number> {
  const start = Date.now();
  let lastError: unknown;
  for (;;) {
    try {
      if (await check()) return Date.now() - start;
    } catch (error) {
      lastError = error;
      if ((error as Error).message?.includes('exited')) throw error;
    }
    if (Date.now() - start > timeoutMs) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`,
      );
    }
    await sleep(intervalMs);
  }
}

/** Like waitUntil but answers false on timeout instead of throwing. */
export async function waitFor(
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  intervalMs = 500,
): Promise<number | undefined> {
  try {
    return await waitUntil(check, { timeoutMs, what: '', intervalMs });
  } catch {
    return undefined;
  }
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] as number;
}

export const seconds = (ms: number | undefined) => (ms === undefined ? undefined : Math.round(ms / 100) / 10);

export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Runs `work` over items with at most `limit` at once. */
export async function mapLimit<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const index = next;
        next += 1;
        results[index] = await work(items[index] as T);
      }
    }),
  );
  return results;
}
