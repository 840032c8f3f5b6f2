import { z } from 'zod';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
  }
}

/** Parses environment variables with a zod object schema; throws ConfigError naming each bad variable. */
export function parseConfig<S extends z.ZodObject>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const variable = issue.path.join('.') || '(environment)';
    const value = env[String(issue.path[0])];
    const shown = value === undefined ? 'not set' : `got ${JSON.stringify(value)}`;
    return `${variable}: ${issue.message} (${shown})`;
  });
  throw new ConfigError(problems);
}

/** Like parseConfig, but for a service's start: prints the problems and exits with status 78 (EX_CONFIG). */
export function loadConfig<S extends z.ZodObject>(
  schema: S,
  env: Record<string, string | undefined> = process.env,
): z.infer<S> {
  try {
    return parseConfig(schema, env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${error.message}\n`);
    process.exit(78);
  }
}

/** Reusable field schemas, so every service spells its variables and defaults alike. */
export const env = {
  port: (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback),
  mongoUrl: () => z.string().regex(/^mongodb(\+srv)?:\/\//, 'must be a mongodb:// URL'),
  kafkaBrokers: () =>
    z
      .string()
      .min(1)
      .transform((value) => value.split(',').map((broker) => broker.trim()))
      .pipe(z.array(z.string().regex(/^[^\s:]+:\d+$/, 'must be host:port[,host:port...]')).min(1)),
  address: () => z.string().regex(/^[^\s:]+:\d+$/, 'must be host:port'),
  positiveInt: (fallback: number) => z.coerce.number().int().positive().default(fallback),
  logLevel: () => z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  flag: (fallback: boolean) =>
    z
      .enum(['true', 'false', '1', '0'])
      .default(fallback ? 'true' : 'false')
      .transform((value) => value === 'true' || value === '1'),
};

export interface ServiceEnvOptions {
  /** The service's name: its default database (`lienket_<name>`) and consumer group (`lienket-<name>`). */
  name: string;
  grpcPort: number;
  metricsPort: number;
}

/**
 * The variables every service reads alike (store, Kafka, ports, logs), for a service to spread into
 * its own schema: `z.object({ ...serviceEnv({ name: 'registry', grpcPort: 50051, metricsPort: 9401 }),
 * ...relayEnv, MAX_OPEN_POSTINGS: env.positiveInt(50) })`. What `startServiceRuntime` reads.
 */
export const serviceEnv = ({ name, grpcPort, metricsPort }: ServiceEnvOptions) => ({
  /** gRPC API, health (grpc.health.v1) and reflection. */
  GRPC_PORT: env.port(grpcPort),
  /** Prometheus `/metrics`, apart from the public port. */
  METRICS_PORT: env.port(metricsPort),
  MONGO_URL: env.mongoUrl(),
  /** The service's own database; never another service's. */
  MONGO_DB: z.string().min(1).default(`lienket_${name}`),
  KAFKA_BROKERS: env.kafkaBrokers(),
  /** Prepended to every topic and consumer group (shared clusters, test isolation). */
  KAFKA_TOPIC_PREFIX: z.string().default(''),
  /** Partitions of the topics this service creates when they are missing. */
  KAFKA_PARTITIONS: env.positiveInt(6),
  KAFKA_REPLICATION_FACTOR: env.positiveInt(1),
  /** The service's consumer group (every instance shares it); consumers may add a suffix. */
  CONSUMER_GROUP: z.string().min(1).default(`lienket-${name}`),
  LOG_LEVEL: env.logLevel(),
});

/** For a service with an outbox: how often its relay polls when it has not been woken by a write. */
export const relayEnv = {
  RELAY_POLL_MS: env.positiveInt(250),
};

/** The typed variables of `serviceEnv`. */
export type ServiceEnv = z.infer<z.ZodObject<ReturnType<typeof serviceEnv>>>;
