/**
 * Sign-in attempt limits. Failures are counted per login (whether or not an account has it, so a
 * lock says nothing about existence) and per client address, in a window; reaching the limit locks
 * the key for a while. The counters live in the store, so they hold across instances and restarts.
 */
export interface ThrottleRule {
  maxFailures: number;
  windowMs: number;
  lockMs: number;
}

export interface ThrottleRules {
  perLogin: ThrottleRule;
  perAddress: ThrottleRule;
}

export const defaultThrottleRules: ThrottleRules = Object.freeze({
  perLogin: { maxFailures: 5, windowMs: 15 * 60_000, lockMs: 15 * 60_000 },
  perAddress: { maxFailures: 30, windowMs: 15 * 60_000, lockMs: 15 * 60_000 },
});

/** A stored counter. */
export interface AttemptCounter {
  key: string;
  failures: number;
  windowStartedAt: Date;
  lockedUntil?: Date;
}

export const throttleKey = {
  login: (loginKey: string) => `login:${loginKey}`,
  address: (address: string) => `address:${address}`,
};

export function isLocked(counter: AttemptCounter | undefined, now: Date): boolean {
  return counter?.lockedUntil !== undefined && counter.lockedUntil.getTime() > now.getTime();
}

/** Whether a failure at `now` starts a new window instead of counting in the current one. */
export function startsNewWindow(counter: AttemptCounter | undefined, rule: ThrottleRule, now: Date): boolean {
  return !counter || now.getTime() - counter.windowStartedAt.getTime() >= rule.windowMs;
}

/** The lock a counter earns once its failures reach the rule's limit, else undefined. */
export function lockAfter(failures: number, rule: ThrottleRule, now: Date): Date | undefined {
  return failures >= rule.maxFailures ? new Date(now.getTime() + rule.lockMs) : undefined;
}
