import { editableOfferFields } from '@lienket/contracts';
import {
  type Constraints,
  chosen,
  hsCode,
  id,
  MAX_VND,
  mask,
  moneyRange,
  province,
  someProductCode,
  stringsOf,
  text,
  vnd,
  vsicCode,
  when,
} from './shapes';

const T = 'lienket.techtransfer.v1';
// The services' rules (services/techtransfer/src/domain: offer.ts, request.ts, interest.ts,
// cofunding.ts) as the document states them. What it cannot state stays 422: dates relative to now,
// min ≤ max of a money range, an update checked with the stored offer, a programme's eligibility
// and caps, a budget or an amount against what is left.

const codes = { hsCodes: stringsOf(hsCode, 20), vsicCodes: stringsOf(vsicCode, 20) };
const transferModes = stringsOf(chosen(`${T}.TransferMode`));
const reason = text(1, 500);

export const techTransferConstraints: Record<string, Constraints> = {
  [`${T}.OfferInput`]: {
    fields: {
      title: text(3, 200),
      summary: { maxLength: 5_000 },
      ...codes,
      keywords: { maxItems: 30 },
      readinessLevel: { minimum: 1, maximum: 9 },
      ipStatus: chosen(`${T}.IpStatus`),
      ipNumbers: stringsOf(text(1), 20),
      transferModes,
      priceBand: moneyRange,
      languages: stringsOf({ type: 'string', pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$' }),
      visibility: chosen(`${T}.Visibility`),
      visibleProvinces: stringsOf(province),
    },
    body: {
      required: ['title', 'readinessLevel', 'ipStatus', 'transferModes'],
      properties: { transferModes: { minItems: 1 } },
      allOf: [
        someProductCode,
        // A patent or utility solution names its numbers.
        when(
          { properties: { ipStatus: { enum: ['IP_STATUS_PATENT', 'IP_STATUS_UTILITY_SOLUTION'] } } },
          { required: ['ipNumbers'], properties: { ipNumbers: { minItems: 1 } } },
        ),
        // An offer visible to named provinces names them.
        when(
          { properties: { visibility: { const: 'VISIBILITY_NAMED_PROVINCES' } } },
          { required: ['visibleProvinces'], properties: { visibleProvinces: { minItems: 1 } } },
        ),
      ],
    },
  },
  [`${T}.UpdateOfferRequest`]: {
    fields: { updateMask: mask(editableOfferFields) },
    message: { required: ['offer', 'updateMask'] },
  },
  [`${T}.RequestInput`]: {
    fields: {
      title: text(3, 200),
      description: { maxLength: 5_000 },
      ...codes,
      minReadinessLevel: { minimum: 0, maximum: 9 },
      transferModes,
      budget: moneyRange,
    },
    message: { required: ['title'], allOf: [someProductCode] },
  },
  [`${T}.ExpressInterestRequest`]: {
    fields: { offerId: id, message: text(1, 2_000) },
    message: { required: ['offerId', 'message'] },
  },
  [`${T}.DeclineInterestRequest`]: { fields: { reason }, message: { required: ['reason'] } },
  [`${T}.AbandonNegotiationRequest`]: { fields: { reason }, message: { required: ['reason'] } },
  [`${T}.SendMessageRequest`]: {
    fields: {
      text: text(1, 5_000),
      attachments: stringsOf(
        {
          required: ['fileName', 'mediaType', 'sizeBytes', 'sha256'],
          properties: {
            fileName: text(1, 255),
            mediaType: { type: 'string', pattern: '^[A-Za-z0-9_.+-]+/[A-Za-z0-9_.+-]+$' },
            sizeBytes: { type: 'integer', minimum: 1, maximum: 50 * 1024 * 1024 },
            sha256: { type: 'string', pattern: '^[0-9a-fA-F]{64}$' },
          },
        },
        10,
      ),
    },
    message: { required: ['text'] },
  },
  [`${T}.ProposeAgreementRequest`]: {
    fields: { type: chosen(`${T}.AgreementType`), value: vnd(1), termsSummary: { maxLength: 2_000 } },
    message: { required: ['type', 'value', 'startDate'] },
  },
  [`${T}.SignAgreementRequest`]: { fields: { agreementId: id }, message: { required: ['agreementId'] } },
  [`${T}.ProgrammeInput`]: {
    fields: {
      name: text(3, 200),
      funderKind: chosen(`${T}.FunderKind`),
      sponsor: {
        properties: {
          name: text(1),
          kind: chosen(`${T}.SponsorKind`),
          country: { type: 'string', pattern: '^[A-Za-z]{2}$' },
        },
      },
      province: { type: 'string', pattern: `^$|${province.pattern}` },
      budget: vnd(1),
      maxCofundingPercent: { minimum: 1, maximum: 100 },
      perProjectCap: { properties: { vnd: { minimum: 0, maximum: MAX_VND } } },
      eligibility: { properties: { provinces: stringsOf(province), vsicPrefixes: stringsOf(vsicCode) } },
    },
    message: {
      required: ['name', 'funderKind', 'budget', 'maxCofundingPercent'],
      // A sponsor's programme names its sponsor; a provincial fund its province.
      allOf: [
        when(
          { properties: { funderKind: { const: 'FUNDER_KIND_SPONSOR' } } },
          { required: ['sponsor'], properties: { sponsor: { required: ['name', 'kind', 'country'] } } },
        ),
        when(
          { properties: { funderKind: { const: 'FUNDER_KIND_PROVINCIAL_FUND' } } },
          { required: ['province'], properties: { province } },
        ),
      ],
    },
  },
  [`${T}.ChangeProgrammeBudgetRequest`]: {
    fields: { deltaVnd: { minimum: -MAX_VND, maximum: MAX_VND, not: { const: 0 } } },
    message: { required: ['deltaVnd'] },
  },
  [`${T}.ApplyForCoFundingRequest`]: {
    fields: { programmeId: id, agreementId: id, amount: vnd(1) },
    message: { required: ['programmeId', 'agreementId', 'amount'] },
  },
  [`${T}.RejectCoFundingRequest`]: { fields: { reason }, message: { required: ['reason'] } },
  [`${T}.RecordDisbursementRequest`]: {
    fields: { amount: vnd(1), reference: text(1, 100) },
    message: { required: ['amount', 'reference'] },
  },
};
