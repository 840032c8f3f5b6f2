import { AppError, invalidArgument } from './errors';
import { toProblemDetails } from './problem';

describe('toProblemDetails', () => {
  it('maps each error kind to its HTTP status', () => {
    const cases: [AppError['kind'], number][] = [
      ['INVALID_ARGUMENT', 400],
      ['UNAUTHENTICATED', 401],
      ['PERMISSION_DENIED', 403],
      ['NOT_FOUND', 404],
      ['ALREADY_EXISTS', 409],
      ['FAILED_PRECONDITION', 422],
      ['RESOURCE_EXHAUSTED', 429],
      ['UNAVAILABLE', 503],
    ];
    for (const [kind, status] of cases) {
      expect(toProblemDetails(new AppError(kind, 'x')).status).toBe(status);
    }
  });

  it('carries the code, both languages and field details', () => {
    const problem = toProblemDetails(
      invalidArgument([
        {
          field: 'taxCode',
          reason: 'invalid_tax_code',
          description: 'Tax code check digit is wrong',
          descriptionVi: 'Mã số thuế sai số kiểm tra',
        },
      ]),
      '/v1/enterprises',
    );
    expect(problem).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      type: 'https://lienket.vn/problems/validation-failed',
      instance: '/v1/enterprises',
      errors: [{ field: 'taxCode', reason: 'invalid_tax_code', message_vi: 'Mã số thuế sai số kiểm tra' }],
    });
    expect(problem.detail_vi).toContain('taxCode');
  });

  it('hides the details of an unexpected error', () => {
    const problem = toProblemDetails(new Error('connection string mongodb://secret@host leaked'));
    expect(problem.status).toBe(500);
    expect(JSON.stringify(problem)).not.toContain('secret');
  });
});
