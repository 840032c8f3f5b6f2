import { AppError, invalidArgument } from '@lienket/platform/errors';
import { messages } from '@lienket/reference';
import type { Cluster, Enterprise } from './model';

export function formCluster(
  input: { name: string; chain: string },
  anchor: Enterprise,
  members: Enterprise[],
  id: string,
  now: Date,
): Cluster {
  const name = input.name.trim();
  const chain = input.chain.trim();
  const violations = [];
  if (name.length < 3 || name.length > 200) violations.push(messages.length('name', 3, 200));
  if (chain.length < 2 || chain.length > 100) violations.push(messages.length('chain', 2, 100));
  if (violations.length > 0) throw invalidArgument(violations);
  const all = [anchor, ...members.filter((m) => m.id !== anchor.id)];
  return {
    id,
    name,
    chain,
    anchorEnterpriseId: anchor.id,
    members: all.map((m) => ({ enterpriseId: m.id, province: m.province, joinedAt: now })),
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
}

export function joinCluster(cluster: Cluster, enterprise: Enterprise, now: Date): Cluster {
  if (cluster.members.some((m) => m.enterpriseId === enterprise.id)) {
    throw new AppError('ALREADY_EXISTS', 'The enterprise is already a member of this cluster', {
      code: 'ALREADY_MEMBER',
      messageVi: 'Doanh nghiệp đã là thành viên của cụm liên kết này',
    });
  }
  return {
    ...cluster,
    members: [
      ...cluster.members,
      { enterpriseId: enterprise.id, province: enterprise.province, joinedAt: now },
    ],
    updatedAt: now,
  };
}

export function leaveCluster(cluster: Cluster, enterpriseId: string, now: Date): Cluster {
  if (enterpriseId === cluster.anchorEnterpriseId) {
    throw new AppError('FAILED_PRECONDITION', 'The anchor enterprise cannot leave its cluster', {
      code: 'ANCHOR_CANNOT_LEAVE',
      messageVi: 'Doanh nghiệp dẫn dắt không thể rời cụm liên kết của mình',
    });
  }
  if (!cluster.members.some((m) => m.enterpriseId === enterpriseId)) {
    throw new AppError('NOT_FOUND', 'The enterprise is not a member of this cluster', {
      code: 'NOT_A_MEMBER',
      messageVi: 'Doanh nghiệp không phải thành viên của cụm liên kết này',
    });
  }
  return {
    ...cluster,
    members: cluster.members.filter((m) => m.enterpriseId !== enterpriseId),
    updatedAt: now,
  };
}
