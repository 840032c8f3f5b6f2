// The platform benchmark's chart (bench/results/performance.svg): one panel per figure against its baseline.

import { TARGET } from './perf-options';
import type { Report } from './perf-report';
import { fmt, fmtRatio, ratio } from './perf-stats';
import { type Panel, renderSvg } from './perf-svg';

export function chart(r: Report): string {
  const panels: Panel[] = [];
  for (const l of [r.latencyLight, r.latency]) {
    if (!l) continue;
    panels.push({
      kind: 'series',
      title: `Need posted → first MatchProposed on SSE: ${l.targetRate} needs/s offered, ${fmt(l.achievedRate, 1)}/s accepted`,
      unit: `ms; ${l.withProposal} needs answered, ${l.unmet} unmet, ${l.unanswered} not within ${r.options.drainS} s`,
      series: [
        {
          label: 'p50',
          color: '#2563eb',
          points: l.timeline.map((b) => ({ x: b.fromS, y: Math.max(0.1, b.p50) })),
        },
        {
          label: 'p99',
          color: '#f59e0b',
          points: l.timeline.map((b) => ({ x: b.fromS, y: Math.max(0.1, b.p99) })),
        },
      ],
      marker: { value: TARGET.latencyP99Ms, label: `target p99 ${TARGET.latencyP99Ms} ms` },
      empty: `no need got a proposal in this phase (${l.accepted} of ${l.posted} POSTs accepted)`,
    });
  }
  const p = r.pipeline;
  if (p) {
    const java = 'error' in p.producerPerformance ? null : p.producerPerformance.eventsPerSecond;
    panels.push({
      kind: 'bars',
      title: `Event pipeline: events/s acknowledged by Kafka (acks=all, ${p.recordBytes} B records)`,
      unit: 'events per second',
      scale: 'log',
      bars: [
        {
          label: 'Kafka ProducerPerformance (Java)',
          value: java,
          note: java ? `${fmt(java, 0)}/s` : 'failed',
          color: '#6b7280',
        },
        {
          label: 'kafkajs publisher, no store',
          value: p.kafkajs.eventsPerSecond,
          note: `${fmt(p.kafkajs.eventsPerSecond, 0)}/s (${fmtRatio(ratio(p.kafkajs.eventsPerSecond, java))} of Java)`,
          color: '#93c5fd',
        },
        {
          label: 'outbox relay (own writes)',
          value: p.relay.eventsPerSecond,
          note: `${fmt(p.relay.eventsPerSecond, 0)}/s (${fmtRatio(p.ratios.relayToProducerPerformance)} of Java)`,
          color: '#2563eb',
        },
        {
          label: 'write + relay (8 writers)',
          value: p.writeAndRelay.eventsPerSecond,
          note: `${fmt(p.writeAndRelay.eventsPerSecond, 0)}/s`,
          color: '#1e40af',
        },
      ],
      ...(java ? { marker: { value: java * TARGET.relayShare, label: 'target: ½ of Java' } } : {}),
    });
  }
  const g = r.gateway;
  if (g) {
    panels.push({
      kind: 'bars',
      title: `Read route vs bare express: requests/s (${g.connections} keep-alive connections, ${g.bodyBytes} B JSON)`,
      unit: 'requests per second',
      scale: 'linear',
      bars: [
        {
          label: 'bare express 5 (same body)',
          value: g.bare.requestsPerSecond,
          note: `${fmt(g.bare.requestsPerSecond, 0)}/s, p99 ${fmt(g.bare.latencyMs.p99, 1)} ms`,
          color: '#6b7280',
        },
        {
          label: 'gateway GET /healthz',
          value: g.gatewayHealthz.requestsPerSecond,
          note: `${fmt(g.gatewayHealthz.requestsPerSecond, 0)}/s, p99 ${fmt(g.gatewayHealthz.latencyMs.p99, 1)} ms`,
          color: '#93c5fd',
        },
        {
          label: 'gateway GET …, no-cache (gRPC + store)',
          value: g.gatewayReadOrigin.requestsPerSecond,
          note: `${fmt(g.gatewayReadOrigin.requestsPerSecond, 0)}/s, p99 ${fmt(g.gatewayReadOrigin.latencyMs.p99, 1)} ms (${fmtRatio(g.ratios.originReadToBareRequestsPerSecond)})`,
          color: '#bfdbfe',
        },
        {
          label: 'gateway GET /v1/enterprises/{id}',
          value: g.gatewayRead.requestsPerSecond,
          note: `${fmt(g.gatewayRead.requestsPerSecond, 0)}/s, p99 ${fmt(g.gatewayRead.latencyMs.p99, 1)} ms (${fmtRatio(g.ratios.readToBareRequestsPerSecond)})`,
          color: '#2563eb',
        },
      ],
      marker: { value: g.bare.requestsPerSecond * TARGET.gatewayShare, label: 'target: ½ of bare' },
    });
  }
  const m = r.matching;
  if (m) {
    panels.push({
      kind: 'bars',
      title: `Matching, top-10 per need (npm run bench:matching, ${m.date.slice(0, 10)}; not rerun)`,
      unit: 'milliseconds',
      scale: 'log',
      bars: m.rows.flatMap((row) => [
        {
          label: `index p50 at ${row.size.toLocaleString('en')}`,
          value: row.p50,
          note: `${fmt(row.p50, 2)} ms`,
          color: '#93c5fd',
        },
        {
          label: `index p99 at ${row.size.toLocaleString('en')}`,
          value: row.p99,
          note: `${fmt(row.p99, 2)} ms`,
          color: '#2563eb',
        },
        ...(row.storeP50 === null
          ? []
          : [
              {
                label: `store query p50 at ${row.size.toLocaleString('en')}`,
                value: row.storeP50,
                note: `${fmt(row.storeP50, 0)} ms`,
                color: '#6b7280',
              },
            ]),
      ]),
      marker: { value: 10, label: 'target p99 10 ms at 1M' },
    });
  }
  const machine = `${r.machine.cpus} × ${r.machine.cpuModel}, node ${r.node}, ${r.infra.store ?? 'store'}, Kafka ${r.infra.kafka}`;
  return renderSvg(
    `LienKet performance${r.quick ? ' (quick run)' : ''}`,
    `${r.date.slice(0, 16).replace('T', ' ')} UTC · ${machine} · load average at start ${r.machine.loadAverage.atStart.map((x) => x.toFixed(1)).join(' ')}`,
    panels,
  );
}
