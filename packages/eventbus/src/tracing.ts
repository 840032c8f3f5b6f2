import {
  type Attributes,
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

/** Where a consumer received the event: its group, the partition and the record's offset. */
export interface Delivery {
  group: string;
  partition: number;
  offset: string;
}

/**
 * The messaging operations this bus traces, named as OpenTelemetry's messaging semantic
 * conventions (v1.45.0) name them: `send` by the producer, `process` by a consumer's handler.
 */
export type MessagingOperation = 'send' | 'process';

/**
 * The span attributes of one Kafka message, by the messaging semantic conventions v1.45.0 (the
 * Kafka-specific ones are `kafka.*` there, no longer `messaging.kafka.*`).
 */
export function messagingAttributes(
  operation: MessagingOperation,
  topic: string,
  event: TracedEvent,
  delivery?: Delivery,
): Attributes {
  return {
    'messaging.system.name': 'kafka',
    'messaging.operation.name': operation,
    'messaging.operation.type': operation,
    'messaging.destination.name': topic,
    'messaging.message.id': event.id,
    'kafka.message.key': event.key,
    'cloudevents.event_id': event.id,
    'cloudevents.event_type': event.type,
    ...(delivery
      ? {
          'messaging.consumer.group.name': delivery.group,
          'messaging.destination.partition.id': String(delivery.partition),
          'kafka.offset': Number(delivery.offset),
        }
      : {}),
  };
}

/**
 * Starts a span `{operation} {topic}` (`send lienket.registry.need.v1`) parented to the trace
 * context stored with the event; a consumer passes where it received the event.
 */
export function startEventSpan(
  operation: MessagingOperation,
  topic: string,
  event: TracedEvent,
  delivery?: Delivery,
): Span {
  return tracer.startSpan(
    `${operation} ${topic}`,
    {
      kind: operation === 'send' ? SpanKind.PRODUCER : SpanKind.CONSUMER,
      attributes: messagingAttributes(operation, topic, event, delivery),
    },
    parentContext(event.traceparent, event.tracestate),
  );
}

export function endSpan(span: Span, error?: unknown): void {
  if (error) {
    span.recordException(error as Error);
    span.setAttribute('error.type', (error as Error)?.constructor?.name ?? 'Error');
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
  }
  span.end();
}

/** Runs `work` inside a `{operation} {topic}` span parented to the event's stored trace context. */
export async function withEventSpan<R>(
  operation: MessagingOperation,
  topic: string,
  event: TracedEvent,
  work: (span: Span) => Promise<R>,
  delivery?: Delivery,
): Promise<R> {
  const span = startEventSpan(operation, topic, event, delivery);
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
