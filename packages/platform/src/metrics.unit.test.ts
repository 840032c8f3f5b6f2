import { metricsRegistry } from './metrics';

describe('metrics', () => {
  it('exposes the Node.js runtime metrics under their standard names, so stock dashboards find them', async () => {
    const text = await metricsRegistry.metrics();
    for (const name of [
      'process_cpu_seconds_total',
      'process_resident_memory_bytes',
      'process_start_time_seconds',
      'nodejs_eventloop_lag_seconds',
      'nodejs_heap_size_used_bytes',
      'nodejs_gc_duration_seconds',
    ])
      expect(text).toMatch(new RegExp(`^# TYPE ${name} `, 'm'));
    expect(text).not.toMatch(/^# TYPE lienket_(process|nodejs)_/m);
  });

  it('names the platform’s own metrics with the lienket_ prefix', async () => {
    const own = (await metricsRegistry.getMetricsAsJSON())
      .map((metric) => metric.name)
      .filter((name) => !/^(process|nodejs)_/.test(name));
    expect(own.length).toBeGreaterThan(0);
    expect(own.filter((name) => !name.startsWith('lienket_'))).toEqual([]);
  });
});
