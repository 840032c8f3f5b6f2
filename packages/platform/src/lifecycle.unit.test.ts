import { startPeriodicJob } from './lifecycle';
import { createLogger } from './logging';

const log = createLogger({ service: 'test', level: 'silent' });

describe('startPeriodicJob', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs on its interval, never two passes at once, and keeps going after a failure', async () => {
    let calls = 0;
    let release: (() => void) | undefined;
    const job = startPeriodicJob(
      'probe',
      100,
      () => {
        calls += 1;
        if (calls === 1) return Promise.reject(new Error('first pass fails'));
        return new Promise<void>((resolve) => {
          release = resolve;
        });
      },
      log,
    );
    await jest.advanceTimersByTimeAsync(100); // pass 1 fails
    await jest.advanceTimersByTimeAsync(100); // pass 2 starts and hangs
    await jest.advanceTimersByTimeAsync(300); // no overlapping pass while 2 runs
    expect(calls).toBe(2);
    release?.();
    await jest.advanceTimersByTimeAsync(100);
    expect(calls).toBe(3);
    release?.();
    await job.stop();
    await jest.advanceTimersByTimeAsync(500);
    expect(calls).toBe(3);
  });
});
