import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { metricsRegistry } from '../../packages/platform/src/metrics';
import { registerCacheMetrics } from '../../services/gateway/src/cache/metrics';
import type { ReadCache } from '../../services/gateway/src/cache/read-cache';

// The gateway's cache metrics need only the metrics module of @lienket/platform, not its barrel
// (gRPC, logging, contracts): they register on the same registry.
jest.mock('@lienket/platform', () => jest.requireActual('../../packages/platform/src/metrics'));

/**
 * The Grafana dashboard and the Prometheus configuration stay true to the code: every metric a
 * panel queries is one a process exports, every label it groups by is one of that metric's, and
 * Prometheus scrapes every service docker-compose runs on the port that service serves metrics.
 */
const root = resolve(__dirname, '../..');
const dashboardFile = join(__dirname, 'grafana/dashboards/lienket.json');

interface Target {
  expr: string;
}
interface Panel {
  type: string;
  title: string;
  targets?: Target[];
  panels?: Panel[];
}

function panelsOf(panels: Panel[]): Panel[] {
  return panels.flatMap((panel) => [panel, ...panelsOf(panel.panels ?? [])]);
}

/** Every metric the code registers, by exposed series name, with its label names. */
async function exportedSeries(): Promise<Map<string, Set<string>>> {
  // The gateway's read-cache metrics exist once a cache is registered; a stand-in cache will do.
  registerCacheMetrics({
    stats: { hits: 0, misses: 0 },
    snapshot: () => ({ entries: 0 }),
  } as unknown as ReadCache);
  const series = new Map<string, Set<string>>();
  for (const metric of await metricsRegistry.getMetricsAsJSON()) {
    const labels = new Set<string>();
    for (const value of metric.values) for (const label of Object.keys(value.labels)) labels.add(label);
    const declared = (metricsRegistry.getSingleMetric(metric.name) as unknown as { labelNames?: string[] })
      ?.labelNames;
    for (const label of declared ?? []) labels.add(label);
    const type = String(metric.type);
    const names =
      type === 'histogram'
        ? [`${metric.name}_bucket`, `${metric.name}_sum`, `${metric.name}_count`]
        : type === 'summary'
          ? [metric.name, `${metric.name}_sum`, `${metric.name}_count`]
          : [metric.name];
    for (const name of names)
      series.set(name, new Set([...labels, ...(name.endsWith('_bucket') ? ['le'] : [])]));
  }
  return series;
}

/** The metric names in a PromQL expression (this dashboard's metrics all carry these prefixes). */
const metricsIn = (expr: string) =>
  [...expr.matchAll(/\b((?:lienket|process|nodejs)_[a-z0-9_]+)\b/g)].map((m) => m[1] as string);
/** The labels of `by (...)` clauses. */
const groupedBy = (expr: string) =>
  [...expr.matchAll(/\bby \(([^)]*)\)/g)].flatMap((m) => (m[1] as string).split(',').map((l) => l.trim()));
/** Labels Prometheus adds to every series it scrapes. */
const TARGET_LABELS = new Set(['job', 'instance']);

describe('the Grafana dashboard', () => {
  const dashboard = JSON.parse(readFileSync(dashboardFile, 'utf8')) as { uid: string; panels: Panel[] };
  const queried = panelsOf(dashboard.panels).filter((panel) => panel.type !== 'row');

  it('queries only metrics the code exports, grouped by labels those metrics have', async () => {
    const series = await exportedSeries();
    expect(queried.length).toBeGreaterThan(10);
    const problems: string[] = [];
    for (const panel of queried) {
      if (!panel.targets?.length) problems.push(`${panel.title}: no query`);
      for (const { expr } of panel.targets ?? []) {
        const metrics = metricsIn(expr);
        if (metrics.length === 0) problems.push(`${panel.title}: no known metric in ${expr}`);
        for (const metric of metrics)
          if (!series.has(metric)) problems.push(`${panel.title}: ${metric} is not exported`);
        for (const label of groupedBy(expr))
          if (!TARGET_LABELS.has(label) && !metrics.some((metric) => series.get(metric)?.has(label)))
            problems.push(`${panel.title}: groups by ${label}, which ${metrics.join(', ')} lack`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('shows request rate and latency, consumer lag, outbox backlog, dead letters, store commands and the Node.js runtime', () => {
    const all = queried.flatMap((panel) => (panel.targets ?? []).flatMap(({ expr }) => metricsIn(expr)));
    for (const metric of [
      'lienket_http_requests_total',
      'lienket_http_request_duration_seconds_bucket',
      'lienket_grpc_server_requests_total',
      'lienket_grpc_server_duration_seconds_bucket',
      'lienket_consumer_lag_messages',
      'lienket_outbox_backlog_documents',
      'lienket_dlq_messages',
      'lienket_store_commands_total',
      'process_cpu_seconds_total',
      'nodejs_eventloop_lag_p99_seconds',
      'nodejs_heap_size_used_bytes',
    ])
      expect(all).toContain(metric);
  });

  it('finds the broken case: a metric the code does not export', async () => {
    const series = await exportedSeries();
    expect(metricsIn('rate(lienket_outbox_published_total[5m])').filter((m) => !series.has(m))).toEqual([
      'lienket_outbox_published_total',
    ]);
    expect(series.has('lienket_process_cpu_seconds_total')).toBe(false);
  });
});

describe('Prometheus in docker-compose', () => {
  const compose = parse(readFileSync(join(root, 'docker-compose.yml'), 'utf8')) as {
    services: Record<
      string,
      { build?: { args?: Record<string, string> }; environment?: Record<string, string>; volumes?: string[] }
    >;
  };
  const prometheus = parse(readFileSync(join(__dirname, 'prometheus.yml'), 'utf8')) as {
    scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
  };

  it('scrapes every service compose runs, as job <service>, on the port it serves metrics', () => {
    const services = Object.entries(compose.services).filter(([, s]) => s.build?.args?.SERVICE);
    expect(services.length).toBeGreaterThanOrEqual(5);
    const scraped = Object.fromEntries(
      prometheus.scrape_configs.map((job) => [job.job_name, job.static_configs.flatMap((c) => c.targets)]),
    );
    for (const [name, service] of services) {
      const manifest = JSON.parse(
        readFileSync(join(root, 'services', service.build?.args?.SERVICE as string, 'package.json'), 'utf8'),
      ) as { lienket: { metricsPort: number } };
      const port = service.environment?.METRICS_PORT ?? String(manifest.lienket.metricsPort);
      expect({ job: name, targets: scraped[name] }).toEqual({ job: name, targets: [`${name}:${port}`] });
    }
  });

  it('mounts the configuration, the provisioning and the dashboard that exist here', () => {
    const mounted = ['prometheus', 'grafana'].flatMap((name) =>
      (compose.services[name]?.volumes ?? [])
        .map((volume) => volume.split(':')[0] as string)
        .filter((source) => source.startsWith('./')),
    );
    expect(mounted).toEqual([
      './infra/observability/prometheus.yml',
      './infra/observability/grafana/provisioning',
      './infra/observability/grafana/dashboards',
    ]);
    const datasources = parse(
      readFileSync(join(__dirname, 'grafana/provisioning/datasources/prometheus.yaml'), 'utf8'),
    ) as { datasources: { url: string; type: string }[] };
    expect(datasources.datasources).toEqual([
      expect.objectContaining({ type: 'prometheus', url: 'http://prometheus:9090' }),
    ]);
  });
});
