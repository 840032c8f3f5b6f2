import { backoffMs, outcomeOf, retryAfterMs } from './delivery';

describe('webhook retries', () => {
  const policy = { initialBackoffMs: 1_000, maxBackoffMs: 600_000 };

  it('back off exponentially with jitter between half and all of the step, never above the cap', () => {
    expect(backoffMs(1, policy, () => 0)).toBe(500);
    expect(backoffMs(1, policy, () => 1)).toBe(1_000);
    expect(backoffMs(2, policy, () => 1)).toBe(2_000);
    expect(backoffMs(5, policy, () => 1)).toBe(16_000);
    expect(backoffMs(5, policy, () => 0.5)).toBe(12_000);
    expect(backoffMs(20, policy, () => 1)).toBe(600_000);
    expect(backoffMs(2_000, policy, () => 1)).toBe(600_000);
    for (let attempt = 1; attempt < 40; attempt += 1)
      expect(backoffMs(attempt, policy)).toBeLessThanOrEqual(policy.maxBackoffMs);
  });

  it('deliver on 2xx, retry 5xx, 408, 429 and no answer, and stop at any other answer', () => {
    expect([200, 201, 202, 204, 299].map(outcomeOf)).toEqual(Array(5).fill('delivered'));
    expect([500, 502, 503, 504, 429, 408, undefined].map(outcomeOf)).toEqual(Array(7).fill('retry'));
    expect([400, 401, 403, 404, 410, 413, 422, 301, 302, 307, 100].map(outcomeOf)).toEqual(
      Array(11).fill('final'),
    );
  });

  it('read Retry-After in seconds or as a date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Tue, 31 Dec 2024 00:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });
});
