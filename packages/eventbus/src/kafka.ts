import { Kafka, type KafkaConfig, logLevel } from 'kafkajs';
import type { Logger } from 'pino';

const pinoLevel: Record<number, 'error' | 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'error',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

export interface KafkaOptions {
  brokers: string[];
  clientId: string;
  log: Logger;
  /** Extra kafkajs settings (ssl, sasl, ...). */
  overrides?: Partial<KafkaConfig>;
}

/** A kafkajs client that logs through pino and retries connections for a while before giving up. */
export function createKafka({ brokers, clientId, log, overrides = {} }: KafkaOptions): Kafka {
  const kafkaLog = log.child({ component: 'kafkajs' });
  return new Kafka({
    clientId,
    brokers,
    connectionTimeout: 5_000,
    retry: { initialRetryTime: 200, retries: 10, maxRetryTime: 5_000 },
    logLevel: logLevel.WARN,
    logCreator:
      () =>
      ({ level, log: entry }) => {
        const { message, ...rest } = entry;
        kafkaLog[pinoLevel[level] ?? 'info'](rest, message);
      },
    ...overrides,
  });
}
