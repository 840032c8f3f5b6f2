/**
 * OpenTelemetry bootstrap, preloaded before any service code (`node -r @lienket/platform/telemetry`)
 * so the instrumentations can patch http, grpc-js, mongodb, mongoose and pino as they load.
 * Kafka spans come from @lienket/eventbus itself (`send <topic>` / `process <topic>`): the outbox
 * relay must parent each send to the request that wrote the event, which the kafkajs
 * instrumentation cannot do. Spans are exported over OTLP/HTTP (protobuf, or JSON with
 * OTEL_EXPORTER_OTLP_PROTOCOL=http/json) when OTEL_EXPORTER_OTLP_ENDPOINT is set. Without it no
 * span is recorded (the sampler is off) and no OpenTelemetry metric either, but the context still
 * flows: every span has its ids, so log lines carry them and `traceparent` still goes out in gRPC
 * metadata and Kafka headers (unsampled).
 */

import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { GrpcInstrumentation } from '@opentelemetry/instrumentation-grpc';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { MongoDBInstrumentation } from '@opentelemetry/instrumentation-mongodb';
import { MongooseInstrumentation } from '@opentelemetry/instrumentation-mongoose';
import { PinoInstrumentation } from '@opentelemetry/instrumentation-pino';
import { NodeSDK, tracing } from '@opentelemetry/sdk-node';

const endpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
// OTLP over HTTP, protobuf by default; `http/json` as the OpenTelemetry spec names it.
const protocol = process.env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? process.env.OTEL_EXPORTER_OTLP_PROTOCOL;
const exporter = () => (protocol === 'http/json' ? new OtlpJsonExporter() : new OtlpProtobufExporter());

const sdk = new NodeSDK({
  serviceName: process.env.OTEL_SERVICE_NAME ?? process.env.LIENKET_SERVICE ?? 'lienket',
  spanProcessors: endpoint ? [new tracing.BatchSpanProcessor(exporter())] : [],
  // With an exporter the SDK's default (parent-based, else always on, or OTEL_TRACES_SAMPLER).
  ...(endpoint ? {} : { sampler: new tracing.AlwaysOffSampler() }),
  // Without an endpoint (and no OTEL_METRICS_EXPORTER), no OpenTelemetry meter provider either: the
  // SDK's default would record the instrumentations' request histograms to push them nowhere; the
  // platform's metrics are served by prom-client on /metrics.
  ...(endpoint || process.env.OTEL_METRICS_EXPORTER ? {} : { metricReaders: [] }),
  instrumentations: [
    // No express instrumentation: its span per middleware layer halved the gateway's throughput; the
    // gateway names each request's span after its route itself (services/gateway/src/app.ts).
    new HttpInstrumentation(),
    new GrpcInstrumentation(),
    new MongoDBInstrumentation(),
    new MongooseInstrumentation(),
    // The logger adds trace ids itself (logging.ts); this only keeps context across pino's streams.
    new PinoInstrumentation({ disableLogCorrelation: true }),
  ],
});

sdk.start();

const shutdown = () => {
  sdk.shutdown().catch(() => undefined);
};
process.once('beforeExit', shutdown);
process.once('SIGTERM', shutdown);
