// Measuring helpers of the matching benchmark: heap, elapsed time, garbage collections, progress.
import { PerformanceObserver } from 'node:perf_hooks';
import cliProgress from 'cli-progress';
import { round } from './perf-stats';

// ---------------------------------------------------------------- measuring

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (collect === undefined) throw new Error('run node with --expose-gc (npm run bench:matching does)');
  collect();
  collect();
}

export function heapMb(): number {
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

export function elapsedMs(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Garbage collections while a phase runs, to tell a GC pause from a slow query. */
export class GcWatch {
  private readonly pauses: number[] = [];
  private readonly observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) this.pauses.push(entry.duration);
  });

  start(): void {
    this.observer.observe({ entryTypes: ['gc'] });
  }

  /** Async: the observer is told of collections on a later turn of the event loop, never during a sync loop. */
  async stop(): Promise<{ count: number; totalMs: number; maxMs: number }> {
    await new Promise((done) => setTimeout(done, 50));
    this.observer.disconnect();
    return {
      count: this.pauses.length,
      totalMs: round(
        this.pauses.reduce((a, b) => a + b, 0),
        1,
      ),
      maxMs: round(Math.max(0, ...this.pauses), 2),
    };
  }
}

export function bar(label: string, total: number): cliProgress.SingleBar {
  const b = new cliProgress.SingleBar(
    {
      format: `${label.padEnd(22)} [{bar}] {percentage}% | {value}/{total} | {duration_formatted}`,
      stream: process.stderr,
      hideCursor: true,
      noTTYOutput: !process.stderr.isTTY,
      notTTYSchedule: 10_000,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  b.start(total, 0);
  return b;
}

export function log(message: string): void {
  process.stderr.write(`${message}\n`);
}
