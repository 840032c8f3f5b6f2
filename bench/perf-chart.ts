// The platform benchmark's chart (bench/results/performance.svg): one panel per figure against its baseline.

import { TARGET } from './perf-options';
import type { Report } from './perf-report';
import { fmt, fmtMs, fmtRatio, ratio } from './perf-stats';
import { type Panel, renderSvg } from './perf-svg';

export function chart(r: Report): string {
  const panels: Panel[] = [];
  const curve = r.loadCurve;
  if (curve) {
    const window = curve.drainS * 1000;
    const columns = [
      ...curve.points.map((p) => ({ rate: p.rate, point: p })),
      ...curve.skipped.map((s) => ({ rate: s.rate, point: null })),
    ].sort((a, b) => a.rate - b.rate);
    // An unanswered need makes a percentile infinite: drawn at the drain window, captioned as such.
    const capped = (v: number) => (Number.isFinite(v) ? Math.max(0.1, v) : window);
    panels.push({
      kind: 'curve',
      title: `Load curve: need posted → first MatchProposed on SSE, ${curve.durationS} s per rate`,
      unit: 'ms from the start of the POST',
      columns: columns.map(({ rate, point }) => {
        if (!point) return { label: `${fmt(rate, 0)}/s`, caption: ['not run'] };
        const l = point.latency;
        return {
          label: `${fmt(rate, 0)}/s offered`,
          caption: [
            `${fmt(l.generator.sentRate, 0)}/s posted, ${fmt(l.achievedRate, 0)}/s accepted`,
            `${fmt(l.answered, 0)} of ${fmt(l.posted, 0)} answered`,
            `p99 ${fmtMs(l.firstProposalMs.p99, window)}`,
          ],
        };
      }),
      series: [
        {
          label: 'p50',
          color: '#2563eb',
          values: columns.map(({ point }) => (point ? capped(point.latency.firstProposalMs.p50) : null)),
        },
        {
          label: 'p99',
          color: '#f59e0b',
          values: columns.map(({ point }) => (point ? capped(point.latency.firstProposalMs.p99) : null)),
        },
      ],
      marker: { value: TARGET.latencyP99Ms, label: `target p99 ${TARGET.latencyP99Ms} ms` },
      empty: 'no phase of the curve got a proposal',
    });
    if (curve.points.length > 0)
      panels.push({
        kind: 'bars',
        title: 'Store commands per posted need, every service together',
        unit: 'commands per accepted need (scraped from each service’s /metrics before and after the phase)',
        scale: 'linear',
        bars: curve.points.map((p) => ({
          label: `${fmt(p.rate, 0)} needs/s${p.storeCommands.settled ? (p.storeCommands.exact ? '' : ' (not exact)') : ' (not settled)'}`,
          value: p.storeCommands.perNeed,
          note: `${fmt(p.storeCommands.perNeed, 1)}: ${Object.entries(p.storeCommands.byService)
            .slice(0, 3)
            .map(([s, v]) => `${s} ${fmt(v, 1)}`)
            .join(', ')}`,
          color: p.storeCommands.perNeed <= TARGET.storeCommandsPerNeed ? '#2563eb' : '#f59e0b',
        })),
        marker: { value: TARGET.storeCommandsPerNeed, label: `target ≤ ${TARGET.storeCommandsPerNeed}` },
      });
    const last = curve.points[curve.points.length - 1];
    if (last)
      panels.push({
        kind: 'series',
        title: `During the ${fmt(last.rate, 0)}/s phase: first proposal by when the need was posted`,
        unit: `ms; ${last.latency.withProposal} with a proposal, ${last.latency.unmet} unmet, ${last.latency.unanswered} not within ${curve.drainS} s`,
        series: [
          {
            label: 'p50',
            color: '#2563eb',
            points: last.latency.timeline.map((b) => ({ x: b.fromS, y: Math.max(0.1, b.p50) })),
          },
          {
            label: 'p99',
            color: '#f59e0b',
            points: last.latency.timeline.map((b) => ({ x: b.fromS, y: Math.max(0.1, b.p99) })),
          },
        ],
        marker: { value: TARGET.latencyP99Ms, label: `target p99 ${TARGET.latencyP99Ms} ms` },
        empty: `no need got a proposal in this phase (${last.latency.accepted} of ${last.latency.posted} POSTs accepted)`,
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
