import * as grpc from '@grpc/grpc-js';
import { commonV1 } from '@lienket/contracts';
import { AppError, type ErrorKind, toAppError } from '../errors';

/** Trailer that carries the application error (code, bilingual message, field violations). */
export const ERROR_TRAILER = 'lienket-error-bin';

const statusByKind: Record<ErrorKind, grpc.status> = {
  INVALID_ARGUMENT: grpc.status.INVALID_ARGUMENT,
  UNAUTHENTICATED: grpc.status.UNAUTHENTICATED,
  PERMISSION_DENIED: grpc.status.PERMISSION_DENIED,
  NOT_FOUND: grpc.status.NOT_FOUND,
  ALREADY_EXISTS: grpc.status.ALREADY_EXISTS,
  FAILED_PRECONDITION: grpc.status.FAILED_PRECONDITION,
  RESOURCE_EXHAUSTED: grpc.status.RESOURCE_EXHAUSTED,
  UNAVAILABLE: grpc.status.UNAVAILABLE,
  DEADLINE_EXCEEDED: grpc.status.DEADLINE_EXCEEDED,
  INTERNAL: grpc.status.INTERNAL,
};

const kindByStatus = new Map<grpc.status, ErrorKind>(
  Object.entries(statusByKind).map(([kind, status]) => [status, kind as ErrorKind]),
);

export const grpcStatusOf = (error: AppError): grpc.status => statusByKind[error.kind];

/** An AppError as a grpc-js service error, with the ErrorInfo trailer. */
export function toServiceError(error: unknown): Partial<grpc.StatusObject> {
  const appError = toAppError(error);
  const metadata = new grpc.Metadata();
  const info = commonV1.ErrorInfo.encode({
    code: appError.code,
    message: appError.message,
    messageVi: appError.messageVi,
    violations: appError.violations.map((v) => ({ ...v })),
  }).finish();
  metadata.set(ERROR_TRAILER, Buffer.from(info));
  return { code: grpcStatusOf(appError), details: appError.message, metadata };
}

/** A failed call's ServiceError back into an AppError, keeping the callee's code and violations. */
export function fromServiceError(error: grpc.ServiceError): AppError {
  const kind =
    kindByStatus.get(error.code) ?? (error.code === grpc.status.CANCELLED ? 'UNAVAILABLE' : 'INTERNAL');
  const raw = error.metadata?.get(ERROR_TRAILER)[0];
  if (raw instanceof Buffer) {
    try {
      const info = commonV1.ErrorInfo.decode(raw);
      return new AppError(kind, info.message, {
        code: info.code,
        messageVi: info.messageVi,
        violations: info.violations,
        cause: error,
      });
    } catch {
      // fall through to the status alone
    }
  }
  return new AppError(kind, error.details || error.message, { cause: error });
}
