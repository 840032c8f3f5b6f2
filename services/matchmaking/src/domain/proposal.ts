import type { Actor } from '@lienket/platform';
import { AppError } from '@lienket/platform/errors';

export type ProposalStatus =
  | 'proposed'
  | 'accepted_by_one'
  | 'established'
  | 'declined'
  | 'expired'
  | 'retracted';
export type Side = 'buyer' | 'supplier';

export interface ProposalComponent {
  name: string;
  value: number;
  weight: number;
  contribution: number;
  detail: string;
  detailVi: string;
}

export interface Proposal {
  id: string;
  needId: string;
  capabilityId: string;
  buyerEnterpriseId: string;
  supplierEnterpriseId: string;
  buyerProvince: string;
  supplierProvince: string;
  score: number;
  components: ProposalComponent[];
  reason: string;
  reasonVi: string;
  status: ProposalStatus;
  buyerAcceptedAt: Date | null;
  supplierAcceptedAt: Date | null;
  declinedBy: string;
  declineReason: string;
  createdAt: Date;
  updatedAt: Date;
  expiresAt: Date;
  hsCodes: string[];
  vsicCodes: string[];
  category: string;
  triggeredBy: 'need' | 'capability';
  version: number;
}

/** Proposals still waiting for an answer; only these can be accepted, declined, expired or retracted. */
export const openStatuses: readonly ProposalStatus[] = ['proposed', 'accepted_by_one'];
export const isOpen = (p: Pick<Proposal, 'status'>) => openStatuses.includes(p.status);

/** The side the actor answers for. Nobody answers for someone else, admins included. */
export function sideOf(proposal: Proposal, actor: Actor): Side {
  if (actor.role === 'anonymous') {
    throw new AppError('UNAUTHENTICATED', 'Sign in to answer proposals', {
      messageVi: 'Vui lòng đăng nhập để trả lời đề xuất',
    });
  }
  if (actor.role === 'enterprise' && actor.enterpriseId === proposal.buyerEnterpriseId) return 'buyer';
  if (actor.role === 'enterprise' && actor.enterpriseId === proposal.supplierEnterpriseId) return 'supplier';
  throw new AppError('PERMISSION_DENIED', 'Only the two enterprises of a proposal may answer it', {
    code: 'NOT_A_PARTY',
    messageVi: 'Chỉ hai doanh nghiệp trong đề xuất mới được trả lời',
  });
}

function notOpen(proposal: Proposal, action: string, actionVi: string): AppError {
  return new AppError(
    'FAILED_PRECONDITION',
    `Cannot ${action} a proposal that is ${proposal.status.replaceAll('_', ' ')}`,
    {
      code: 'PROPOSAL_CLOSED',
      messageVi: `Không thể ${actionVi} đề xuất ở trạng thái ${proposal.status}`,
    },
  );
}

/**
 * Double opt-in: the first acceptance moves to accepted_by_one, the second establishes the
 * linkage. Accepting twice from the same side changes nothing.
 */
export function acceptProposal(
  proposal: Proposal,
  side: Side,
  now: Date,
): { next: Proposal; established: boolean; changed: boolean } {
  if (!isOpen(proposal)) throw notOpen(proposal, 'accept', 'chấp nhận');
  if (now.getTime() >= proposal.expiresAt.getTime())
    throw notOpen({ ...proposal, status: 'expired' }, 'accept', 'chấp nhận');
  const already = side === 'buyer' ? proposal.buyerAcceptedAt : proposal.supplierAcceptedAt;
  if (already) return { next: proposal, established: false, changed: false };
  const next: Proposal = {
    ...proposal,
    buyerAcceptedAt: side === 'buyer' ? now : proposal.buyerAcceptedAt,
    supplierAcceptedAt: side === 'supplier' ? now : proposal.supplierAcceptedAt,
    updatedAt: now,
  };
  const established = Boolean(next.buyerAcceptedAt && next.supplierAcceptedAt);
  next.status = established ? 'established' : 'accepted_by_one';
  return { next, established, changed: true };
}

export function declineProposal(
  proposal: Proposal,
  enterpriseId: string,
  reason: string,
  now: Date,
): Proposal {
  if (!isOpen(proposal)) throw notOpen(proposal, 'decline', 'từ chối');
  const trimmed = reason.trim();
  if (trimmed.length < 3 || trimmed.length > 500) {
    throw new AppError('INVALID_ARGUMENT', 'Say briefly why (3 to 500 characters)', {
      messageVi: 'Vui lòng nêu ngắn gọn lý do (3 đến 500 ký tự)',
      violations: [
        {
          field: 'reason',
          reason: 'invalid_length',
          description: 'reason must be 3 to 500 characters',
          descriptionVi: 'lý do phải dài từ 3 đến 500 ký tự',
        },
      ],
    });
  }
  return {
    ...proposal,
    status: 'declined',
    declinedBy: enterpriseId,
    declineReason: trimmed,
    updatedAt: now,
  };
}

export function expireProposal(proposal: Proposal, now: Date): Proposal {
  if (!isOpen(proposal) || proposal.expiresAt.getTime() > now.getTime())
    throw notOpen(proposal, 'expire', 'hết hạn');
  return { ...proposal, status: 'expired', updatedAt: now };
}

export function retractProposal(proposal: Proposal, now: Date): Proposal {
  if (!isOpen(proposal)) throw notOpen(proposal, 'retract', 'thu hồi');
  return { ...proposal, status: 'retracted', updatedAt: now };
}
