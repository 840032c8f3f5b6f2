import { anonymous } from '@lienket/platform';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import express from 'express';
import { mountRoutes } from '../http/api';
import { openApiDocument } from '../http/openapi';
import type { ServiceClients } from './clients';
import { programmeRoutes } from './programme';

// The route table only: no call reaches a service here (the e2e test does that).
const routes = programmeRoutes({ programme: {} } as unknown as ServiceClients);
const document = openApiDocument(routes, 'http://localhost') as {
  paths: Record<string, Record<string, { operationId: string; responses: Record<string, unknown> }>>;
  components: { schemas: Record<string, object> };
};
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validBody = (operationId: string, body: unknown) => {
  const operation = Object.values(document.paths)
    .flatMap((p) => Object.values(p))
    .find((o) => o.operationId === operationId) as unknown as {
    requestBody: { content: { 'application/json': { schema: object } } };
  };
  const validate = ajv.compile({
    ...operation.requestBody.content['application/json'].schema,
    components: document.components,
  });
  return validate(body);
};

const proposal = {
  title: 'Máy sấy nông sản tiết kiệm năng lượng',
  line: 'SUPPORT_LINE_CLEANER_PRODUCTION',
  year: 2026,
  province: '19',
  beneficiaryEnterpriseId: 'ent-1',
  beneficiaryKind: 'ENTERPRISE_KIND_COOPERATIVE',
  funding: {
    cost: { vnd: 1_000_000_000 },
    state: { vnd: 300_000_000 },
    stateSource: 'FUNDING_SOURCE_PROVINCIAL',
    counterpart: { vnd: 600_000_000 },
    sponsor: { vnd: 100_000_000 },
  },
};

describe('the programme routes', () => {
  it('are documented with unique operation ids and compile into validators', () => {
    const ids = routes.map((r) => r.operationId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(
      expect.arrayContaining(['proposeScheme', 'appraiseScheme', 'approveScheme', 'listClusterSites']),
    );
    expect(() =>
      mountRoutes(
        () => express.Router(),
        routes,
        () => anonymous,
      ),
    ).not.toThrow();
    // 422 only where the route says why (ADR 0013): reads never declare it.
    const reads = Object.values(document.paths).flatMap((p) => (p.get ? [p.get] : []));
    for (const read of reads) expect(read.responses['422']).toBeUndefined();
    expect(document.paths['/v1/programme/schemes/{schemeId}/approval']?.post?.responses['422']).toBeDefined();
  });

  it('admit a proposal the service would weigh and refuse one that breaks the document', () => {
    expect(validBody('proposeScheme', proposal)).toBe(true);
    // A centre's own scheme names no beneficiary, and so no kind.
    const { beneficiaryEnterpriseId: _, beneficiaryKind: __, ...ownScheme } = proposal;
    expect(validBody('proposeScheme', ownScheme)).toBe(true);
    expect(validBody('proposeScheme', { ...proposal, beneficiaryKind: undefined })).toBe(false);
    expect(validBody('proposeScheme', { ...proposal, title: '  a ' })).toBe(false);
    expect(validBody('proposeScheme', { ...proposal, province: '99' })).toBe(false);
    expect(
      validBody('proposeScheme', { ...proposal, funding: { ...proposal.funding, cost: { vnd: 0 } } }),
    ).toBe(false);
    expect(validBody('proposeScheme', { ...proposal, unknown: 1 })).toBe(false);
  });

  it('state the appraisal, budget and disbursement rules', () => {
    const appraisal = {
      checklist: [{ item: 'Hồ sơ đủ', passed: true }],
      score: 80,
      reasons: 'Đạt',
      passed: true,
    };
    expect(validBody('appraiseScheme', appraisal)).toBe(true);
    expect(validBody('appraiseScheme', { ...appraisal, score: 101 })).toBe(false);
    expect(validBody('appraiseScheme', { ...appraisal, checklist: [] })).toBe(false);
    expect(
      validBody('setProgrammeBudget', { year: 2026, source: 'FUNDING_SOURCE_NATIONAL', total: { vnd: 5 } }),
    ).toBe(true);
    expect(
      validBody('setProgrammeBudget', { year: 2026, source: 'FUNDING_SOURCE_PROVINCIAL', total: { vnd: 5 } }),
    ).toBe(false);
    expect(
      validBody('recordSchemeDisbursement', { source: 'sponsor', amount: { vnd: 5 }, reference: 'UNC-1' }),
    ).toBe(false);
  });
});
