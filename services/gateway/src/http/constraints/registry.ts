import {
  type Constraints,
  certification,
  chosen,
  hsCode,
  id,
  mask,
  moneyRange,
  province,
  quantity,
  recognition,
  region,
  someProductCode,
  stringsOf,
  text,
  vsicCode,
  WS,
  when,
} from './shapes';

const R = 'lienket.registry.v1';
// The services' rules (services/registry/src/domain: enterprise.ts, postings.ts, cluster.ts) as the
// document states them. What it cannot state stays 422: a tax code's check digit, dates relative to
// now, min ≤ max of a money range, fields an update mask names checked with the stored ones.

/** Fields of an enterprise's profile an update may name (the registry's editableFields). */
const editable = [
  'name',
  'kind',
  'supportingIndustry',
  'provinceCode',
  'address',
  'primaryVsic',
  'vsicCodes',
  'sizeBand',
  'recognitions',
  'trademarks',
  'contact',
];

const enterpriseInput: Constraints = {
  fields: {
    taxCode: {
      // The format; its check digit (mod 11 over weighted digits) no pattern can state: 422.
      pattern: '^[0-9]{10}(-?([1-9][0-9]{2}|0[1-9][0-9]|00[1-9]))?$',
      description: '10 digits, or 13 for a branch (NNNNNNNNNN-NNN); a wrong check digit is refused 422',
    },
    name: text(2, 200),
    kind: chosen(`${R}.EnterpriseKind`),
    provinceCode: province,
    address: { maxLength: 300 },
    primaryVsic: vsicCode,
    vsicCodes: stringsOf(vsicCode, 20),
    recognitions: stringsOf(recognition),
    trademarks: stringsOf({ required: ['name'], properties: { name: text(1) } }, 20),
    contact: {
      properties: {
        // As the registry checks them once spaces (and, in a phone number, dots and dashes) are gone.
        email: { type: 'string', pattern: `^$|^[^${WS}@]+@[^${WS}@]+\\.[^${WS}@]+$` },
        phone: { type: 'string', pattern: '^$|^(\\+84|0)?[0-9]{8,10}$' },
      },
    },
  },
  body: { required: ['taxCode', 'name', 'kind', 'provinceCode', 'primaryVsic'] },
};

const codes = { hsCodes: stringsOf(hsCode, 20), vsicCodes: stringsOf(vsicCode, 20) };
const provinces = stringsOf(province);

export const registryConstraints: Record<string, Constraints> = {
  [`${R}.EnterpriseInput`]: enterpriseInput,
  [`${R}.UpdateEnterpriseRequest`]: {
    fields: { updateMask: mask(editable) },
    message: { required: ['enterprise', 'updateMask'] },
  },
  [`${R}.VerifyEnterpriseRequest`]: {
    fields: { decision: chosen(`${R}.VerificationDecision`), reason: { maxLength: 500 } },
    message: {
      required: ['decision'],
      // A rejection says why, in at least 5 characters.
      ...when(
        { properties: { decision: { const: 'VERIFICATION_DECISION_REJECT' } } },
        { required: ['reason'], properties: { reason: text(5, 500) } },
      ),
    },
  },
  [`${R}.CapabilityInput`]: {
    fields: {
      title: text(3, 200),
      description: { maxLength: 5_000 },
      ...codes,
      monthlyCapacity: quantity,
      minimumOrder: quantity,
      leadTimeDays: { minimum: 0, maximum: 3_650 },
      servedProvinces: provinces,
      servedRegions: stringsOf(region),
      certifications: stringsOf(certification),
      priceBand: moneyRange,
    },
    message: { required: ['title', 'monthlyCapacity'], allOf: [someProductCode] },
  },
  [`${R}.NeedInput`]: {
    fields: {
      title: text(3, 200),
      description: { maxLength: 5_000 },
      category: chosen(`${R}.NeedCategory`),
      ...codes,
      quantityPerMonth: quantity,
      requiredCertifications: stringsOf(certification),
      preferredProvinces: provinces,
      excludedProvinces: provinces,
      budget: moneyRange,
    },
    message: { required: ['title', 'category', 'quantityPerMonth'], allOf: [someProductCode] },
  },
  [`${R}.FormClusterRequest`]: {
    fields: {
      name: text(3, 200),
      chain: text(2, 100),
      anchorEnterpriseId: id,
      memberEnterpriseIds: stringsOf(id),
    },
    message: { required: ['name', 'chain', 'anchorEnterpriseId'] },
  },
  [`${R}.JoinClusterRequest`]: { fields: { enterpriseId: id } },
};
