import { MongoNetworkError } from 'mongodb';
import { AppError, isStoreUnavailable, toAppError } from './errors';

describe('toAppError', () => {
  it('keeps an AppError as it is', () => {
    const error = new AppError('NOT_FOUND', 'Not found');
    expect(toAppError(error)).toBe(error);
  });

  it('turns an unreachable store into a retryable UNAVAILABLE', () => {
    for (const cause of [
      new MongoNetworkError('connect ECONNREFUSED 127.0.0.1:27027'),
      // As the driver names it (constructing the real one needs a topology description).
      Object.assign(new Error('Server selection timed out after 30000 ms'), {
        name: 'MongoServerSelectionError',
      }),
      new Error('wrapped', { cause: new MongoNetworkError('socket closed') }),
    ]) {
      const error = toAppError(cause);
      expect(error.kind).toBe('UNAVAILABLE');
      expect(error.code).toBe('STORE_UNAVAILABLE');
      expect(error.retryable).toBe(true);
      expect(isStoreUnavailable(cause)).toBe(true);
    }
  });

  it('hides anything else behind INTERNAL', () => {
    const error = toAppError(new TypeError('x is undefined'));
    expect(error.kind).toBe('INTERNAL');
    expect(error.message).toBe('Internal error');
    expect(error.retryable).toBe(false);
  });
});
