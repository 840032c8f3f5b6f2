import * as grpc from '@grpc/grpc-js';
import { AppError } from '../errors';
import { fromServiceError, toServiceError } from './errors';

describe('gRPC error mapping', () => {
  it('round-trips an AppError through status and trailer', () => {
    const original = new AppError('ALREADY_EXISTS', 'Tax code already registered', {
      code: 'DUPLICATE_TAX_CODE',
      messageVi: 'Mã số thuế đã được đăng ký',
      violations: [{ field: 'taxCode', reason: 'duplicate', description: 'taken', descriptionVi: 'đã dùng' }],
    });
    const status = toServiceError(original);
    expect(status.code).toBe(grpc.status.ALREADY_EXISTS);
    const back = fromServiceError({
      ...new Error(status.details),
      code: status.code as grpc.status,
      details: status.details as string,
      metadata: status.metadata as grpc.Metadata,
      name: 'Error',
      message: status.details as string,
    });
    expect(back).toBeInstanceOf(AppError);
    expect(back.kind).toBe('ALREADY_EXISTS');
    expect(back.code).toBe('DUPLICATE_TAX_CODE');
    expect(back.messageVi).toBe('Mã số thuế đã được đăng ký');
    expect(back.violations).toEqual([
      { field: 'taxCode', reason: 'duplicate', description: 'taken', descriptionVi: 'đã dùng' },
    ]);
  });

  it('turns unknown errors into INTERNAL without their message', () => {
    const status = toServiceError(new TypeError('undefined is not a function at /srv/app.js:10'));
    expect(status.code).toBe(grpc.status.INTERNAL);
    expect(status.details).toBe('Internal error');
  });

  it('maps a status without trailer to its kind', () => {
    const error = Object.assign(new Error('deadline'), {
      code: grpc.status.DEADLINE_EXCEEDED,
      details: 'Deadline exceeded',
      metadata: new grpc.Metadata(),
    });
    const mapped = fromServiceError(error);
    expect(mapped.kind).toBe('DEADLINE_EXCEEDED');
    expect(mapped.retryable).toBe(true);
  });
});
