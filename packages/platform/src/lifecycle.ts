import type { Logger } from 'pino';
import { createLogger } from './logging';

export interface Stoppable {
  name: string;
  stop: () => Promise<void>;
}

/**
 * What a shutdown signal means. The first stops gracefully. One within `graceMs` of it is the same
 * request arriving twice: Ctrl-C in a terminal reaches the whole process group, and the supervisor
 * (`npm start`, a container runtime) forwards it again; exiting at once then would skip leaving the
 * consumer groups cleanly, and the next start would wait out their session timeout. A later one is a
 * person insisting: exit at once.
 */
export function createSignalPolicy(graceMs = 2_000, now: () => number = Date.now) {
  let first: number | undefined;
  return (): 'stop' | 'same' | 'exit' => {
    const at = now();
    if (first === undefined) {
      first = at;
      return 'stop';
    }
    return at - first < graceMs ? 'same' : 'exit';
  };
}

/**
 * Stops the given parts in reverse start order on SIGINT/SIGTERM, each bounded by a timeout, then
 * exits. A second signal more than two seconds after the first exits at once.
 */
export function stopOnSignals(log: Logger, parts: Stoppable[], timeoutMs = 10_000): void {
  const policy = createSignalPolicy();
  const stopAll = async (signal: string) => {
    const meaning = policy();
    if (meaning === 'same') return;
    if (meaning === 'exit') {
      log.warn({ signal }, 'second signal, exiting now');
      process.exit(130);
    }
    log.info({ signal }, 'shutting down');
    for (const part of [...parts].reverse()) {
      const timer = new Promise<'timeout'>((resolve) =>
        setTimeout(() => resolve('timeout'), timeoutMs).unref(),
      );
      try {
        const outcome = await Promise.race([part.stop().then(() => 'stopped' as const), timer]);
        if (outcome === 'timeout') log.warn({ part: part.name, timeoutMs }, 'stop timed out');
      } catch (error) {
        log.error({ part: part.name, err: error }, 'stop failed');
      }
    }
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => void stopAll('SIGINT'));
  process.on('SIGTERM', () => void stopAll('SIGTERM'));
}

/**
 * Runs `work` every `intervalMs`, never two passes at once; a failing pass is logged and the next
 * one runs on time. Returns a Stoppable that clears the timer and waits for a running pass.
 */
export function startPeriodicJob(
  name: string,
  intervalMs: number,
  work: () => Promise<void>,
  log: Logger,
): Stoppable {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = work()
      .catch((error: unknown) => log.error({ err: error, job: name }, 'periodic job failed'))
      .finally(() => {
        running = undefined;
      });
  }, intervalMs);
  timer.unref();
  return {
    name,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

export interface RunMainOptions<C extends { LOG_LEVEL: string }, S extends { parts: Stoppable[] }> {
  /** Names the logger and the start/failure lines. */
  name: string;
  /** Parses the environment (and exits 78 naming a bad variable). */
  loadConfig: () => C;
  start: (config: C, log: Logger) => Promise<S>;
  /** What the `<name> started` line says; by default the gRPC and metrics ports. */
  describe?: (service: S, config: C) => Record<string, unknown>;
}

/**
 * The whole of a service's `main.ts`: load the config, create the logger, start the service, stop
 * its parts on SIGINT/SIGTERM (`stopOnSignals`), and exit 1 with the stack if the start fails.
 */
export function runMain<C extends { LOG_LEVEL: string }, S extends { parts: Stoppable[] }>({
  name,
  loadConfig,
  start,
  describe = (service) => {
    const { grpcPort, metricsPort } = service as { grpcPort?: number; metricsPort?: number };
    return { grpcPort, metricsPort };
  },
}: RunMainOptions<C, S>): void {
  const run = async () => {
    const config = loadConfig();
    const log = createLogger({ service: name, level: config.LOG_LEVEL });
    const service = await start(config, log);
    stopOnSignals(log, service.parts);
    log.info(describe(service, config), `${name} started`);
  };
  run().catch((error: unknown) => {
    process.stderr.write(
      `${name} failed to start: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
    process.exit(1);
  });
}
