import { backoffDelay } from './consumer';

describe('backoffDelay', () => {
  const policy = { attempts: 6, initialDelayMs: 100, maxDelayMs: 1_000 };
  it('doubles from the initial delay and stops at the cap', () => {
    const middle = () => 0.5; // no jitter
    expect([1, 2, 3, 4, 5].map((attempt) => backoffDelay(attempt, policy, middle))).toEqual([
      100, 200, 400, 800, 1_000,
    ]);
  });
  it('jitters within ±20 %', () => {
    expect(backoffDelay(2, policy, () => 0)).toBe(160);
    expect(backoffDelay(2, policy, () => 0.999999)).toBe(240);
  });
});
