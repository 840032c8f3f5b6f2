import { earliest } from './merge';

/** Cluster facts, merged from the registry's cluster events. */

export interface ClusterMemberState {
  enterpriseId: string;
  province: string;
  region: string;
  active: boolean;
  at: Date;
}

export interface ClusterFact {
  name?: string;
  chain?: string;
  anchorEnterpriseId?: string;
  formedAt?: Date;
  /** One entry per enterprise, by id: its latest membership. */
  members: ClusterMemberState[];
}

export type ClusterChange =
  | {
      kind: 'formed';
      name: string;
      chain: string;
      anchorEnterpriseId: string;
      at: Date;
      members: Omit<ClusterMemberState, 'active'>[];
    }
  | { kind: 'joined' | 'left'; member: Omit<ClusterMemberState, 'active'> };

/**
 * The later of two states of one member: by time; on a tie leaving wins (the conservative reading),
 * then the greater province code, so that the same events always give the same member list.
 */
function laterMember(a: ClusterMemberState, b: ClusterMemberState): ClusterMemberState {
  const key = (m: ClusterMemberState) => [m.at.getTime(), m.active ? 0 : 1] as const;
  const [ta, la] = key(a);
  const [tb, lb] = key(b);
  if (ta !== tb) return ta > tb ? a : b;
  if (la !== lb) return la > lb ? a : b;
  return a.province >= b.province ? a : b;
}

function withMember(members: ClusterMemberState[], candidate: ClusterMemberState): ClusterMemberState[] {
  const current = members.find((m) => m.enterpriseId === candidate.enterpriseId);
  const kept = current ? laterMember(current, candidate) : candidate;
  return [...members.filter((m) => m.enterpriseId !== candidate.enterpriseId), kept].sort((a, b) =>
    a.enterpriseId.localeCompare(b.enterpriseId),
  );
}

export function mergeClusterChange(fact: ClusterFact | undefined, change: ClusterChange): ClusterFact {
  const f: ClusterFact = { ...(fact ?? { members: [] }) };
  if (change.kind === 'formed') {
    f.name = change.name;
    f.chain = change.chain;
    f.anchorEnterpriseId = change.anchorEnterpriseId;
    f.formedAt = earliest(f.formedAt, change.at);
    for (const m of change.members) f.members = withMember(f.members, { ...m, active: true });
  } else {
    f.members = withMember(f.members, { ...change.member, active: change.kind === 'joined' });
  }
  return f;
}
