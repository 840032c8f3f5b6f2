import {
  type Context,
  context,
  propagation,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';

const tracer = trace.getTracer('@lienket/eventbus');

/** The W3C trace context of the active span, to store with an event written now. */
export function currentTraceContext(): { traceparent?: string; tracestate?: string } {
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return {
    ...(carrier.traceparent ? { traceparent: carrier.traceparent } : {}),
    ...(carrier.tracestate ? { tracestate: carrier.tracestate } : {}),
  };
}

function parentContext(traceparent: string | undefined, tracestate: string | undefined): Context {
  if (!traceparent) return context.active();
  return propagation.extract(ROOT_CONTEXT, { traceparent, ...(tracestate ? { tracestate } : {}) });
}

interface TracedEvent {
  id: string;
  type: string;
  key: string;
  traceparent?: string;
  tracestate?: string;
}

/** Starts a span `<topic> <operation>` parented to the trace context stored with the event. */
export function startEventSpan(operation: 'publish' | 'process', topic: string, event: TracedEvent): Span {
  return tracer.startSpan(
    `${topic} ${operation}`,
    {
      kind: operation === 'publish' ? SpanKind.PRODUCER : SpanKind.CONSUMER,
      attributes: {
        'messaging.system': 'kafka',
        'messaging.destination.name': topic,
        'messaging.operation.type': operation,
        'messaging.message.id': event.id,
        'messaging.kafka.message.key': event.key,
        'cloudevents.event_type': event.type,
      },
    },
    parentContext(event.traceparent, event.tracestate),
  );
}

export function endSpan(span: Span, error?: unknown): void {
  if (error) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
  }
  span.end();
}

/** Runs `work` inside a `<topic> <operation>` span parented to the event's stored trace context. */
export async function withEventSpan<R>(
  operation: 'publish' | 'process',
  topic: string,
  event: TracedEvent,
  work: (span: Span) => Promise<R>,
): Promise<R> {
  const span = startEventSpan(operation, topic, event);
  try {
    const result = await context.with(trace.setSpan(context.active(), span), () => work(span));
    endSpan(span);
    return result;
  } catch (error) {
    endSpan(span, error);
    throw error;
  }
}

/** The traceparent of a span, to put on the wire so the consumer's span becomes its child. */
export function traceContextOf(span: Span): { traceparent?: string; tracestate?: string } {
  const carrier: Record<string, string> = {};
  propagation.inject(trace.setSpan(ROOT_CONTEXT, span), carrier);
  return {
    ...(carrier.traceparent ? { traceparent: carrier.traceparent } : {}),
    ...(carrier.tracestate ? { tracestate: carrier.tracestate } : {}),
  };
}
