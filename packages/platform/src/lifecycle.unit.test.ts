import { createSignalPolicy, startPeriodicJob } from './lifecycle';
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

describe('createSignalPolicy', () => {
  it('stops on the first signal, takes one soon after as the same request, exits on a later one', () => {
    let now = 1_000;
    const policy = createSignalPolicy(2_000, () => now);
    expect(policy()).toBe('stop');
    now += 50; // the terminal's SIGINT and the supervisor's SIGTERM arrive together
    expect(policy()).toBe('same');
    now += 2_500; // a person presses Ctrl-C again
    expect(policy()).toBe('exit');
  });
});
