import type { Actor, AppError } from '@lienket/platform';
import {
  acceptProposal,
  declineProposal,
  expireProposal,
  type Proposal,
  retractProposal,
  sideOf,
} from './proposal';

const now = new Date('2026-05-01T00:00:00Z');
const later = (ms: number) => new Date(now.getTime() + ms);
const proposal = (overrides: Partial<Proposal> = {}): Proposal => ({
  id: 'p-1',
  needId: 'n-1',
  capabilityId: 'c-1',
  buyerEnterpriseId: 'buyer',
  supplierEnterpriseId: 'supplier',
  buyerProvince: '19',
  supplierProvince: '24',
  score: 0.8,
  components: [],
  reason: 'r',
  reasonVi: 'r',
  status: 'proposed',
  buyerAcceptedAt: null,
  supplierAcceptedAt: null,
  declinedBy: '',
  declineReason: '',
  createdAt: now,
  updatedAt: now,
  expiresAt: later(21 * 86_400_000),
  hsCodes: ['4819'],
  vsicCodes: [],
  category: 'material',
  triggeredBy: 'need',
  version: 1,
  ...overrides,
});
const firm = (enterpriseId: string): Actor => ({
  role: 'enterprise',
  enterpriseId,
  provinceCode: '',
  subject: enterpriseId,
});
const errorOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return error as AppError;
  }
  throw new Error('expected an error');
};

describe('proposal lifecycle (double opt-in)', () => {
  it('knows which side an enterprise answers for, and nobody else', () => {
    expect(sideOf(proposal(), firm('buyer'))).toBe('buyer');
    expect(sideOf(proposal(), firm('supplier'))).toBe('supplier');
    expect(errorOf(() => sideOf(proposal(), firm('third')))).toMatchObject({
      kind: 'PERMISSION_DENIED',
      code: 'NOT_A_PARTY',
    });
    const admin: Actor = { role: 'admin', enterpriseId: '', provinceCode: '', subject: 'a' };
    expect(errorOf(() => sideOf(proposal(), admin)).kind).toBe('PERMISSION_DENIED');
    const anonymous: Actor = { role: 'anonymous', enterpriseId: '', provinceCode: '', subject: '' };
    expect(errorOf(() => sideOf(proposal(), anonymous)).kind).toBe('UNAUTHENTICATED');
  });

  it('goes proposed → accepted by one → established, in either order', () => {
    const first = acceptProposal(proposal(), 'supplier', later(1));
    expect(first).toMatchObject({
      established: false,
      changed: true,
      next: { status: 'accepted_by_one', supplierAcceptedAt: later(1) },
    });
    const second = acceptProposal(first.next, 'buyer', later(2));
    expect(second).toMatchObject({
      established: true,
      next: { status: 'established', buyerAcceptedAt: later(2) },
    });
  });

  it('treats a repeated acceptance by the same side as no change', () => {
    const first = acceptProposal(proposal(), 'buyer', later(1));
    const again = acceptProposal(first.next, 'buyer', later(2));
    expect(again).toMatchObject({ changed: false, established: false, next: first.next });
  });

  it('declines with a reason, and only while open', () => {
    const declined = declineProposal(proposal(), 'supplier', 'Không đủ công suất', later(1));
    expect(declined).toMatchObject({
      status: 'declined',
      declinedBy: 'supplier',
      declineReason: 'Không đủ công suất',
    });
    expect(errorOf(() => declineProposal(proposal(), 'supplier', '', later(1))).kind).toBe(
      'INVALID_ARGUMENT',
    );
    expect(errorOf(() => acceptProposal(declined, 'buyer', later(2)))).toMatchObject({
      kind: 'FAILED_PRECONDITION',
      code: 'PROPOSAL_CLOSED',
    });
  });

  it('expires after its TTL and then refuses answers', () => {
    const p = proposal();
    expect(errorOf(() => expireProposal(p, later(1))).kind).toBe('FAILED_PRECONDITION');
    const expired = expireProposal(p, p.expiresAt);
    expect(expired.status).toBe('expired');
    expect(errorOf(() => acceptProposal(p, 'buyer', p.expiresAt)).kind).toBe('FAILED_PRECONDITION');
    expect(errorOf(() => declineProposal(expired, 'buyer', 'too late', later(2))).kind).toBe(
      'FAILED_PRECONDITION',
    );
  });

  it('retracts only open proposals', () => {
    expect(retractProposal(proposal({ status: 'accepted_by_one' }), later(1)).status).toBe('retracted');
    const established = proposal({ status: 'established' });
    expect(errorOf(() => retractProposal(established, later(1))).kind).toBe('FAILED_PRECONDITION');
    expect(errorOf(() => expireProposal(established, later(100 * 86_400_000))).kind).toBe(
      'FAILED_PRECONDITION',
    );
  });
});
