import type { Logger } from 'pino';

export interface Stoppable {
  name: string;
  stop: () => Promise<void>;
}

/**
 * Stops the given parts in reverse start order on SIGINT/SIGTERM, each bounded by a timeout, then
 * exits. A second signal exits at once.
 */
export function stopOnSignals(log: Logger, parts: Stoppable[], timeoutMs = 10_000): void {
  let stopping = false;
  const stopAll = async (signal: string) => {
    if (stopping) {
      log.warn({ signal }, 'second signal, exiting now');
      process.exit(130);
    }
    stopping = true;
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
