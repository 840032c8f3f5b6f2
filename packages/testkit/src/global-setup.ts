import { resolveInfrastructure } from './infrastructure';

/** Jest global setup: finds real Kafka and a real store once for the whole run. */
export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  process.stderr.write('\n[testkit] resolving infrastructure (env → Docker → infra/local)\n');
  const infrastructure = await resolveInfrastructure();
  // Workers are forked after this and inherit these variables.
  process.env.KAFKA_BROKERS = infrastructure.kafkaBrokers;
  process.env.MONGO_URL = infrastructure.mongoUrl;
  (globalThis as { __lienketInfra?: typeof infrastructure }).__lienketInfra = infrastructure;
  process.stderr.write(
    `[testkit] using ${infrastructure.source}: Kafka ${infrastructure.kafkaBrokers}, store ${infrastructure.mongoUrl} (${Date.now() - started} ms)\n`,
  );
}
