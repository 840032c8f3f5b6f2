import type { BinaryReader, BinaryWriter } from '@bufbuild/protobuf/wire';
import { ProbePinged } from '../gen/lienket/testing/v1/testing';

/** The shape ts-proto generates for every message: enough to put it on and take it off the wire. */
export interface MessageCodec<T> {
  encode(message: T, writer?: BinaryWriter): BinaryWriter;
  decode(input: BinaryReader | Uint8Array, length?: number): T;
  fromJSON(object: unknown): T;
  toJSON(message: T): unknown;
}

/** One CloudEvents type: its name, the topic (aggregate stream) it travels on and its payload. */
export interface EventDefinition<T = unknown> {
  /** CloudEvents `type`, e.g. `vn.lienket.registry.need.posted.v1`. */
  readonly type: string;
  /** Kafka topic without any deployment prefix, e.g. `lienket.registry.need.v1`. */
  readonly topic: string;
  /** Protobuf message name, e.g. `lienket.registry.v1.NeedPosted`. */
  readonly messageName: string;
  readonly codec: MessageCodec<T>;
}

export type PayloadOf<D> = D extends EventDefinition<infer T> ? T : never;

function defineEvent<T>(
  type: string,
  topic: string,
  messageName: string,
  codec: MessageCodec<T>,
): EventDefinition<T> {
  return Object.freeze({ type, topic, messageName, codec });
}

/** Every topic, named once. A breaking payload change gets a new `.vN` topic beside the old one. */
export const Topics = Object.freeze({
  testingProbe: 'lienket.testing.probe.v1',
});

/** Every event type, named once. */
export const Events = Object.freeze({
  probePinged: defineEvent(
    'vn.lienket.testing.probe.pinged.v1',
    Topics.testingProbe,
    'lienket.testing.v1.ProbePinged',
    ProbePinged,
  ),
});

const byType = new Map<string, EventDefinition>(
  Object.values(Events).map((definition) => [definition.type, definition as EventDefinition]),
);

/** Looks an event definition up by its CloudEvents type; undefined for a type nobody declared. */
export function findEventDefinition(type: string): EventDefinition | undefined {
  return byType.get(type);
}

export const eventCatalogue: readonly EventDefinition[] = [...byType.values()];

/** The dead-letter topic of a topic. */
export const deadLetterTopic = (topic: string): string => `${topic}.dlq`;
