import { Events, enumCodec, registryV1 } from '@lienket/contracts/messages';
import {
  type EnterpriseProfile,
  mergeCapabilityChange,
  mergeClusterChange,
  mergeEnterpriseProfile,
  mergeLeadFirmDesignation,
  mergeNeedChange,
  mergeVerification,
  type PostingAttributes,
} from '../facts';
import { placeOf, sectorsOf } from '../places';
import { type FactRule, type FactUpdate, iso, rule, update } from './fact-update';

const enterpriseKind = enumCodec(registryV1.EnterpriseKind, 'ENTERPRISE_KIND');
const needCategory = enumCodec(registryV1.NeedCategory, 'NEED_CATEGORY');
const verificationStatus = enumCodec(registryV1.VerificationStatus, 'VERIFICATION_STATUS');

function profileOf(e: registryV1.Enterprise, at: Date): EnterpriseProfile {
  return {
    name: e.name,
    kind: enterpriseKind.fromProto(e.kind) ?? 'unspecified',
    place: placeOf(e.province?.code),
    supportingIndustry: e.supportingIndustry,
    leadFirm: e.leadFirm,
    verification: verificationStatus.fromProto(e.verification?.status ?? 0) ?? 'unverified',
    version: e.version,
    stateAt: e.updatedAt ?? at,
    createdAt: e.createdAt ?? at,
  };
}

function profileUpdate(e: registryV1.Enterprise | undefined, at: Date): FactUpdate[] {
  if (!e) return [];
  const profile = profileOf(e, at);
  return update('enterprise', e.id, (f) => mergeEnterpriseProfile(f, profile));
}

export function postingOf(
  enterpriseId: string,
  province: string,
  vsic: readonly string[],
  hs: readonly string[],
): PostingAttributes {
  const place = placeOf(province);
  return { enterpriseId, province: place.province, region: place.region, ...sectorsOf(vsic, hs) };
}

/** How the registry's enterprise, posting and cluster events merge into facts. */
export const registryRules: readonly FactRule[] = [
  // registry: enterprises
  rule(Events.enterpriseRegistered, (p, at) => profileUpdate(p.enterprise, at)),
  rule(Events.enterpriseUpdated, (p, at) => profileUpdate(p.enterprise, at)),
  rule(Events.enterpriseVerified, (p, at) =>
    update('enterprise', p.enterpriseId, (f) => mergeVerification(f, 'verified', at)),
  ),
  rule(Events.enterpriseRejected, (p, at) =>
    update('enterprise', p.enterpriseId, (f) => mergeVerification(f, 'rejected', at)),
  ),
  rule(Events.leadFirmDesignated, (p, at) =>
    update('enterprise', p.enterpriseId, (f) => mergeLeadFirmDesignation(f, p.leadFirm, at)),
  ),

  // registry: capabilities
  rule(Events.capabilityPosted, (p, at) => {
    const c = p.capability;
    if (!c) return [];
    const attributes = postingOf(c.enterpriseId, c.province, c.vsicCodes, c.hsCodes);
    return update('capability', c.id, (f) => mergeCapabilityChange(f, { kind: 'posted', attributes, at }));
  }),
  rule(Events.capabilityWithdrawn, (p, at) =>
    update('capability', p.capabilityId, (f) => mergeCapabilityChange(f, { kind: 'withdrawn', at })),
  ),
  rule(Events.capabilityExpired, (p, at) =>
    update('capability', p.capabilityId, (f) => mergeCapabilityChange(f, { kind: 'expired', at })),
  ),
  rule(Events.capabilityRenewed, (p, at) =>
    p.validUntil
      ? update('capability', p.capabilityId, (f) =>
          mergeCapabilityChange(f, { kind: 'renewed', validUntil: iso(p.validUntil), at }),
        )
      : [],
  ),
  rule(Events.capabilityExpiring, (p) =>
    update('capability', p.capabilityId, (f) =>
      mergeCapabilityChange(f, { kind: 'noticed', enterpriseId: p.enterpriseId }),
    ),
  ),

  // registry: needs
  rule(Events.needPosted, (p, at) => {
    const n = p.need;
    if (!n) return [];
    const attributes = postingOf(n.enterpriseId, n.province, n.vsicCodes, n.hsCodes);
    const category = needCategory.fromProto(n.category) ?? 'unspecified';
    return update('need', n.id, (f) => mergeNeedChange(f, { kind: 'posted', attributes, category, at }));
  }),
  rule(Events.needClosed, (p, at) =>
    update('need', p.needId, (f) => mergeNeedChange(f, { kind: 'closed', at })),
  ),
  rule(Events.needFulfilled, (p, at) =>
    update('need', p.needId, (f) => mergeNeedChange(f, { kind: 'fulfilled', at })),
  ),
  rule(Events.needExpired, (p, at) =>
    update('need', p.needId, (f) => mergeNeedChange(f, { kind: 'expired', at })),
  ),
  rule(Events.needExpiring, (p) =>
    update('need', p.needId, (f) => mergeNeedChange(f, { kind: 'noticed', enterpriseId: p.enterpriseId })),
  ),

  // registry: clusters
  rule(Events.clusterFormed, (p, at) => {
    const c = p.cluster;
    if (!c) return [];
    const members = c.members.map((m) => ({
      enterpriseId: m.enterpriseId,
      ...placeOf(m.province),
      at: m.joinedAt ?? at,
    }));
    return update('cluster', c.id, (f) =>
      mergeClusterChange(f, {
        kind: 'formed',
        name: c.name,
        chain: c.chain,
        anchorEnterpriseId: c.anchorEnterpriseId,
        at: c.createdAt ?? at,
        members,
      }),
    );
  }),
  rule(Events.clusterMemberJoined, (p, at) =>
    update('cluster', p.clusterId, (f) =>
      mergeClusterChange(f, {
        kind: 'joined',
        member: { enterpriseId: p.enterpriseId, ...placeOf(p.province), at },
      }),
    ),
  ),
  rule(Events.clusterMemberLeft, (p, at) =>
    update('cluster', p.clusterId, (f) =>
      mergeClusterChange(f, {
        kind: 'left',
        member: { enterpriseId: p.enterpriseId, ...placeOf(p.province), at },
      }),
    ),
  ),
];
