import { AppError } from './errors';

export interface Versioned {
  version: number;
}

export interface Decision<T, E> {
  next: T;
  events: E[];
}

/**
 * Optimistic concurrency for one aggregate: load, decide, and save only if the stored version is
 * still the one read. When another writer got there first, read again and decide again, up to
 * `attempts` times (pausing a random while between, when asked); then FAILED_PRECONDITION. A decision of `undefined` means nothing to change.
 * Returns the saved (or unchanged) value and whether a write happened.
 */
export async function changeVersioned<T extends Versioned, E>(
  load: () => Promise<T>,
  decide: (current: T) => Decision<T, E> | undefined,
  save: (next: T, expectedVersion: number, events: E[]) => Promise<boolean>,
  attempts = 3,
  /** Up to this many milliseconds (random) between attempts, so hot aggregates' writers spread out. */
  pauseMs = 0,
): Promise<{ value: T; changed: boolean }> {
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    if (attempt > 0 && pauseMs > 0) await new Promise((r) => setTimeout(r, Math.random() * pauseMs));
    const current = await load();
    const decision = decide(current);
    if (!decision) return { value: current, changed: false };
    const next = { ...decision.next, version: current.version + 1 };
    if (await save(next, current.version, decision.events)) return { value: next, changed: true };
  }
  throw versionConflict();
}

/** The stored version is not the one the caller read or named. */
export const versionConflict = (): AppError =>
  new AppError('FAILED_PRECONDITION', 'Changed by someone else meanwhile; reload and try again', {
    code: 'VERSION_CONFLICT',
    messageVi: 'Dữ liệu vừa được người khác thay đổi; vui lòng tải lại và thử lại',
  });
