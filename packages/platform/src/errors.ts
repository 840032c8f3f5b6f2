/**
 * One application error type for every service. Domain code throws it with a kind; each edge
 * maps the kind once: gRPC status codes in grpc/errors.ts, problem+json in problem.ts.
 */
export type ErrorKind =
  | 'INVALID_ARGUMENT'
  | 'UNAUTHENTICATED'
  | 'PERMISSION_DENIED'
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'FAILED_PRECONDITION'
  | 'RESOURCE_EXHAUSTED'
  | 'UNAVAILABLE'
  | 'DEADLINE_EXCEEDED'
  | 'INTERNAL';

export interface FieldViolation {
  /** Dotted path of the offending field, e.g. `need.quantityPerMonth`. */
  field: string;
  /** Stable machine-readable reason, e.g. `invalid_tax_code`. */
  reason: string;
  /** English. */
  description: string;
  /** Vietnamese. */
  descriptionVi: string;
}

export interface AppErrorOptions {
  /** Stable application code, e.g. `DUPLICATE_TAX_CODE`; defaults to the kind. */
  code?: string;
  /** The message in Vietnamese; defaults to the English one. */
  messageVi?: string;
  violations?: FieldViolation[];
  cause?: unknown;
}

export class AppError extends Error {
  readonly kind: ErrorKind;
  readonly code: string;
  readonly messageVi: string;
  readonly violations: readonly FieldViolation[];

  constructor(kind: ErrorKind, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.kind = kind;
    this.code = options.code ?? kind;
    this.messageVi = options.messageVi ?? message;
    this.violations = options.violations ?? [];
  }

  /** Transient failures a caller may retry unchanged. */
  get retryable(): boolean {
    return this.kind === 'UNAVAILABLE' || this.kind === 'DEADLINE_EXCEEDED';
  }
}

export const isAppError = (error: unknown): error is AppError => error instanceof AppError;

/** A bilingual validation error listing every offending field at once. */
export function invalidArgument(violations: FieldViolation[], code = 'VALIDATION_FAILED'): AppError {
  const fields = violations.map((v) => v.field).join(', ');
  return new AppError('INVALID_ARGUMENT', `Invalid request: ${fields}`, {
    code,
    messageVi: `Yêu cầu không hợp lệ: ${fields}`,
    violations,
  });
}

/** MongoDB driver errors that mean the store could not be reached, not that the request was wrong. */
const storeUnreachable = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoPoolClearedError',
  'MongoWaitQueueTimeoutError',
]);

/** Whether an error says the store is unreachable for now (a retry later may succeed). */
export function isStoreUnavailable(error: unknown): boolean {
  for (
    let current = error as { name?: string; cause?: unknown } | undefined, depth = 0;
    current && depth < 5;
    depth += 1
  ) {
    if (current.name && storeUnreachable.has(current.name)) return true;
    current = current.cause as typeof current;
  }
  return false;
}

/**
 * Wraps anything thrown into an AppError: an unreachable store becomes UNAVAILABLE (retryable: the
 * write either happened whole, with its events, or not at all), anything else INTERNAL without
 * leaking details.
 */
export function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  if (isStoreUnavailable(error)) {
    return new AppError('UNAVAILABLE', 'The store is unavailable; retry shortly', {
      code: 'STORE_UNAVAILABLE',
      messageVi: 'Kho dữ liệu tạm thời không truy cập được; vui lòng thử lại sau ít phút',
      cause: error,
    });
  }
  return new AppError('INTERNAL', 'Internal error', { messageVi: 'Lỗi hệ thống', cause: error });
}
