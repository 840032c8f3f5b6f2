import { type AppError, type ErrorKind, toAppError } from './errors';

const httpStatusByKind: Record<ErrorKind, number> = {
  INVALID_ARGUMENT: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  FAILED_PRECONDITION: 422,
  RESOURCE_EXHAUSTED: 429,
  UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
  INTERNAL: 500,
};

const titleByKind: Record<ErrorKind, string> = {
  INVALID_ARGUMENT: 'Invalid request',
  UNAUTHENTICATED: 'Authentication required',
  PERMISSION_DENIED: 'Not allowed',
  NOT_FOUND: 'Not found',
  ALREADY_EXISTS: 'Already exists',
  FAILED_PRECONDITION: 'Not possible in the current state',
  RESOURCE_EXHAUSTED: 'Too many requests',
  UNAVAILABLE: 'Temporarily unavailable',
  DEADLINE_EXCEEDED: 'Timed out',
  INTERNAL: 'Internal error',
};

export const httpStatusOf = (error: AppError): number => httpStatusByKind[error.kind];

/** RFC 9457 problem details, as served with `Content-Type: application/problem+json`. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  detail_vi: string;
  code: string;
  instance?: string;
  errors?: { field: string; reason: string; message: string; message_vi: string }[];
}

export function toProblemDetails(error: unknown, instance?: string): ProblemDetails {
  const appError = toAppError(error);
  const problem: ProblemDetails = {
    type: `https://lienket.vn/problems/${appError.code.toLowerCase().replaceAll('_', '-')}`,
    title: titleByKind[appError.kind],
    status: httpStatusOf(appError),
    detail: appError.message,
    detail_vi: appError.messageVi,
    code: appError.code,
  };
  if (instance) problem.instance = instance;
  if (appError.violations.length > 0) {
    problem.errors = appError.violations.map((v) => ({
      field: v.field,
      reason: v.reason,
      message: v.description,
      message_vi: v.descriptionVi,
    }));
  }
  return problem;
}
