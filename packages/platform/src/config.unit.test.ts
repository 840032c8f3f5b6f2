import { z } from 'zod';
import { ConfigError, env, parseConfig, relayEnv, serviceEnv } from './config';

const schema = z.object({
  GRPC_PORT: env.port(50051),
  MONGO_URL: env.mongoUrl(),
  KAFKA_BROKERS: env.kafkaBrokers(),
  LOG_LEVEL: env.logLevel(),
  SEED_DEMO: env.flag(true),
});

describe('parseConfig', () => {
  it('types and defaults the variables', () => {
    const config = parseConfig(schema, {
      MONGO_URL: 'mongodb://127.0.0.1:27017',
      KAFKA_BROKERS: 'a:9092, b:9093',
      SEED_DEMO: 'false',
    });
    expect(config).toEqual({
      GRPC_PORT: 50051,
      MONGO_URL: 'mongodb://127.0.0.1:27017',
      KAFKA_BROKERS: ['a:9092', 'b:9093'],
      LOG_LEVEL: 'info',
      SEED_DEMO: false,
    });
  });

  it('names every bad variable and what it got', () => {
    let caught: unknown;
    try {
      parseConfig(schema, { GRPC_PORT: '99999', MONGO_URL: 'postgres://x', KAFKA_BROKERS: 'no-port' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const message = (caught as ConfigError).message;
    expect(message).toMatch(/GRPC_PORT: .*got "99999"/);
    expect(message).toMatch(/MONGO_URL: must be a mongodb:\/\/ URL \(got "postgres:\/\/x"\)/);
    expect(message).toMatch(/KAFKA_BROKERS\.0: must be host:port/);
    expect((caught as ConfigError).problems).toHaveLength(3);
  });

  it('says when a required variable is not set', () => {
    expect(() => parseConfig(schema, { KAFKA_BROKERS: 'k:1' })).toThrow(/MONGO_URL: .*\(not set\)/);
  });
});

describe('serviceEnv', () => {
  const schema = z.object({
    ...serviceEnv({ name: 'registry', grpcPort: 50051, metricsPort: 9401 }),
    ...relayEnv,
    OWN: env.positiveInt(7),
  });

  it('gives every service the same variables, defaulted from its name and ports', () => {
    expect(parseConfig(schema, { MONGO_URL: 'mongodb://m:27017', KAFKA_BROKERS: 'k:9092' })).toEqual({
      GRPC_PORT: 50051,
      METRICS_PORT: 9401,
      MONGO_URL: 'mongodb://m:27017',
      MONGO_DB: 'lienket_registry',
      KAFKA_BROKERS: ['k:9092'],
      KAFKA_TOPIC_PREFIX: '',
      KAFKA_PARTITIONS: 6,
      KAFKA_REPLICATION_FACTOR: 1,
      CONSUMER_GROUP: 'lienket-registry',
      LOG_LEVEL: 'info',
      RELAY_POLL_MS: 250,
      OWN: 7,
    });
  });

  it('names a bad shared variable like any other', () => {
    expect(() =>
      parseConfig(schema, { MONGO_URL: 'mongodb://m', KAFKA_BROKERS: 'k:9092', CONSUMER_GROUP: '' }),
    ).toThrow(/CONSUMER_GROUP: /);
  });
});
