import { type JsonSchema, type MessageOverlay, protoRegistry } from '@lienket/contracts';
import {
  hsChapters,
  legacyProvinces,
  messages,
  provinces,
  recognitions,
  regions,
  vsicDivisions,
} from '@lienket/reference';

/**
 * A message's constraints: `fields` and `message` hold wherever it appears (contracts' jsonSchemas
 * merges them); `body` holds where it is a request's whole body (a creation), not where an update
 * carries it with a mask (`required` fields, rules across fields).
 */
export interface Constraints extends MessageOverlay {
  body?: JsonSchema;
}

// What JavaScript's trim() and \s remove, spelled out: Python's \s (schemathesis) differs from it.
export const WS = '\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';
const SPACE = `[${WS}]`;
const SOLID = `[^${WS}]`;

/** Text the services trim and then measure: at least `min` characters once trimmed, at most `max` as sent. */
export function text(min: number, max?: number): JsonSchema {
  const limit = max === undefined ? {} : { maxLength: max };
  if (min === 0) return { type: 'string', ...limit };
  const inner = min === 1 ? `(${SOLID}|${SOLID}[\\s\\S]*${SOLID})` : `${SOLID}[\\s\\S]{${min - 2},}${SOLID}`;
  return { type: 'string', minLength: min, ...limit, pattern: `^${SPACE}*${inner}${SPACE}*$` };
}

/** An enum field that must be set: every value of the proto enum but its zero (`…_UNSPECIFIED`). */
export function chosen(enumName: string): JsonSchema {
  const values = protoRegistry().getEnum(enumName)?.values;
  if (!values) throw new Error(`no enum ${enumName} in the contracts`);
  return { type: 'string', enum: values.filter((v) => v.number !== 0).map((v) => v.name) };
}
export const stringsOf = (items: JsonSchema, maxItems?: number): JsonSchema => ({
  items,
  ...(maxItems === undefined ? {} : { maxItems }),
});

/**
 * A rule across fields: when `condition` holds, so must `then`. Written as if/then, which the typed
 * client leaves out of its types (an anyOf would turn a body's type into a union).
 */
export const when = (condition: JsonSchema, then: JsonSchema): JsonSchema => ({ if: condition, then });

/** The 34 current province codes and the 63 pre-2025 ones the services resolve to them. */
export const provinceCodes = [
  ...new Set([...provinces.map((p) => p.code), ...legacyProvinces.map((p) => p.code)]),
].sort();
// Code lists are patterns rather than enums: the typed client keeps them as strings.
const oneOf = (codes: readonly string[]) => `^(${codes.join('|')})$`;
export const province: JsonSchema = {
  type: 'string',
  pattern: oneOf(provinceCodes),
  description: 'A current (2025) province code, or a pre-2025 one',
};
export const region: JsonSchema = { type: 'string', pattern: oneOf(regions.map((r) => r.code)) };

const alternatives = (codes: readonly string[]) => codes.join('|');
/** A VSIC 2018 code: 2 to 5 digits under a known division. */
export const vsicCode: JsonSchema = {
  type: 'string',
  pattern: `^(${alternatives(vsicDivisions.map((d) => d.code))})[0-9]{0,3}$`,
};
/** An HS code: 2, 4, 6 or 8 digits under a known chapter. */
export const hsCode: JsonSchema = {
  type: 'string',
  pattern: `^(${alternatives(hsChapters.map((c) => c.code))})([0-9]{2}){0,3}$`,
};

/**
 * A certification a posting names: a recognition kind, upper case, with a level after a colon where
 * the kind has levels (OCOP:4); OCOP alone means 3 stars and a typical rural product alone the
 * provincial level. The services upper-case the whole text before checking, so only upper-case levels
 * can be written.
 */
export const certification: JsonSchema = {
  type: 'string',
  pattern: oneOf(
    recognitions.flatMap((r) => [
      ...(r.levels.length === 0 || r.kind === 'OCOP' || r.kind === 'TYPICAL_RURAL_PRODUCT' ? [r.kind] : []),
      ...r.levels.filter((level) => level.toUpperCase() === level).map((level) => `${r.kind}:${level}`),
    ]),
  ),
};

/** A recognition an enterprise holds: a known kind, with one of its levels exactly when it has levels. */
export const recognition: JsonSchema = {
  required: ['kind'],
  properties: { kind: { type: 'string', pattern: oneOf(recognitions.map((r) => r.kind)) } },
  allOf: recognitions.map((r) =>
    when(
      { properties: { kind: { const: r.kind } } },
      r.levels.length === 0
        ? { properties: { level: { const: '' } } }
        : { required: ['level'], properties: { level: { enum: [...r.levels] } } },
    ),
  ),
};

/**
 * The largest amount of VND a body names (10^15, about 40 billion US dollars): far above any programme,
 * and low enough that budgets and their changes add up below 2^53, where JSON numbers stop being exact.
 */
export const MAX_VND = 1_000_000_000_000_000;
/** An amount of VND in a Money message. */
export const vnd = (minimum: number): JsonSchema => ({
  required: ['vnd'],
  properties: { vnd: { type: 'integer', minimum, maximum: MAX_VND } },
});
/** A MoneyRange: neither end below zero (that min ≤ max is a rule across fields: 422). */
export const moneyRange: JsonSchema = {
  properties: {
    min: { properties: { vnd: { minimum: 0, maximum: MAX_VND } } },
    max: { properties: { vnd: { minimum: 0, maximum: MAX_VND } } },
  },
};
/** A Quantity: a value above zero and a unit. */
export const quantity: JsonSchema = {
  required: ['value', 'unit'],
  properties: { value: { type: 'number', exclusiveMinimum: 0 }, unit: text(1) },
};
/** The id of a resource named in a body, as the path parameters spell ids. */
export const id: JsonSchema = { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.:-]+$' };
/** A field mask: comma-separated names of the given fields, in camelCase or snake_case. */
export function mask(fields: readonly string[]): JsonSchema {
  const names = [
    ...new Set(fields.flatMap((f) => [f, f.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)])),
  ].join('|');
  return {
    type: 'string',
    pattern: `^(${names})(,(${names}))*$`,
    description: `Comma-separated fields to change: ${fields.join(', ')}`,
  };
}
/** At least one HS or VSIC code, named on hsCodes in the services' own words. */
const { description: noCode, descriptionVi: noCodeVi } = messages.noProductCode('hsCodes');
const productCodeNote = {
  field: 'hsCodes',
  reason: 'product_code_required',
  message: noCode,
  messageVi: noCodeVi,
};
export const someProductCode: JsonSchema = when(
  { properties: { hsCodes: { maxItems: 0 } } },
  {
    required: ['vsicCodes'],
    properties: { vsicCodes: { minItems: 1, 'x-violation': { ...productCodeNote, up: 1 } } },
    'x-violation': productCodeNote,
  },
);
