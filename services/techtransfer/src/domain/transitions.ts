import { AppError } from '@lienket/platform/errors';

/** A refused state change: FAILED_PRECONDITION with the current state named in both languages. */
export function illegalTransition(
  what: string,
  whatVi: string,
  status: string,
  action: string,
  actionVi: string,
) {
  return new AppError(
    'FAILED_PRECONDITION',
    `Cannot ${action} ${what} that is ${statusEn[status] ?? status.replaceAll('_', ' ')}`,
    {
      code: 'ILLEGAL_TRANSITION',
      messageVi: `Không thể ${actionVi} ${whatVi} đang ở trạng thái ${statusVi[status] ?? status}`,
    },
  );
}

const statusEn: Record<string, string> = { approving: 'being approved' };

const statusVi: Record<string, string> = {
  approving: 'đang được duyệt',
  draft: 'bản nháp',
  published: 'đã công bố',
  withdrawn: 'đã rút',
  expired: 'đã hết hạn',
  open: 'đang mở',
  closed: 'đã đóng',
  pending: 'chờ trả lời',
  negotiating: 'đang đàm phán',
  declined: 'đã từ chối',
  agreed: 'đã ký thỏa thuận',
  abandoned: 'đã dừng',
  requested: 'chờ duyệt',
  approved: 'đã duyệt',
  rejected: 'bị từ chối',
  disbursed: 'đã giải ngân đủ',
};

export const DAY_MS = 86_400_000;
