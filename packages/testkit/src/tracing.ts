import { InMemorySpanExporter, NodeTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-node';

/**
 * Registers an in-process tracer provider whose finished spans land in memory, for tests of code
 * that creates its own spans (the event bus). Auto-instrumentation cannot be tested this way under
 * jest; tests of it run real processes with the telemetry preload.
 */
export function installTestTracing(): InMemorySpanExporter {
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  provider.register();
  return exporter;
}
