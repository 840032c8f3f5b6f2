import Ajv from 'ajv';
import { violations } from './conformance';
import { someProductCode } from './constraints/shapes';

const ajv = new Ajv({ allErrors: true, strict: false, verbose: true });
const check = (schema: object, value: unknown) => {
  const validate = ajv.compile(schema);
  expect(validate(value)).toBe(false);
  return violations(validate.errors, 'body');
};

describe('violations of the document, as a person reads them', () => {
  it('names a missing field and a short text in both languages', () => {
    const found = check(
      { type: 'object', required: ['category'], properties: { title: { type: 'string', minLength: 3 } } },
      { title: 'ab' },
    );
    expect(found).toEqual([
      {
        field: 'body.category',
        reason: 'required',
        description: 'body.category is required',
        descriptionVi: 'body.category là bắt buộc',
      },
      {
        field: 'body.title',
        reason: 'minLength',
        description: 'body.title must be at least 3 characters',
        descriptionVi: 'body.title phải có ít nhất 3 ký tự',
      },
    ]);
  });

  it('gives the services’ own words for a rule across fields, on the field they name', () => {
    const words = {
      field: 'body.hsCodes',
      reason: 'product_code_required',
      description: 'Give at least one HS or VSIC code so partners can find it',
      descriptionVi: 'Cần ít nhất một mã HS hoặc VSIC để đối tác tìm thấy',
    };
    // No codes at all, and empty lists of both: one violation each, never the validator's "if" line.
    expect(check(someProductCode, {})).toEqual([words]);
    expect(check(someProductCode, { hsCodes: [], vsicCodes: [] })).toEqual([words]);
    expect(ajv.compile(someProductCode)({ vsicCodes: ['1079'] })).toBe(true);
  });
});
