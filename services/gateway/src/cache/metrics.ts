import { metricsRegistry } from '@lienket/platform';
import { Counter, Gauge } from 'prom-client';
import type { ReadCache } from './read-cache';

/** The read cache on `/metrics`: lookups by result, entries held, and whether it serves. */
export function registerCacheMetrics(cache: ReadCache): void {
  const name = 'lienket_gateway_read_cache_lookups_total';
  if (metricsRegistry.getSingleMetric(name)) metricsRegistry.removeSingleMetric(name);
  new Counter({
    name,
    help: 'Read-cache lookups of the gateway, by result (hit, miss)',
    labelNames: ['result'] as const,
    registers: [metricsRegistry],
    collect() {
      this.reset();
      this.inc({ result: 'hit' }, cache.stats.hits);
      this.inc({ result: 'miss' }, cache.stats.misses);
    },
  });
  const entries = 'lienket_gateway_read_cache_entries';
  if (metricsRegistry.getSingleMetric(entries)) metricsRegistry.removeSingleMetric(entries);
  new Gauge({
    name: entries,
    help: 'Answers held by the gateway read cache (0 while it does not serve)',
    registers: [metricsRegistry],
    collect() {
      this.set(cache.snapshot().entries);
    },
  });
}
