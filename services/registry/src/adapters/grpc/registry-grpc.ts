import { registryServiceV1 as api, type commonV1, type registryV1 } from '@lienket/contracts';
import {
  type AsyncHandlers,
  actorFrom,
  bindService,
  decodePageToken,
  type Logger,
  type ServiceBinding,
} from '@lienket/platform';
import type { Registry } from '../../app/registry';
import {
  capabilityToProto,
  categoryFromProto,
  clusterToProto,
  enterpriseToProto,
  kindFromProto,
  needToProto,
  sizeFromProto,
} from '../../app/to-proto';
import type { EnterpriseInput } from '../../domain/enterprise';
import type { MoneyRange, Posting, Quantity } from '../../domain/model';

export const REGISTRY_SERVICE_NAME = 'lienket.registry.v1.RegistryService';

const quantity = (q: commonV1.Quantity | undefined): Quantity | null =>
  q ? { value: q.value, unit: q.unit } : null;
const money = (m: commonV1.MoneyRange | undefined): MoneyRange | null =>
  m ? { minVnd: m.min?.vnd ?? 0, maxVnd: m.max?.vnd ?? 0 } : null;

function enterpriseInput(input: api.EnterpriseInput | undefined): EnterpriseInput {
  const i = input ?? api.EnterpriseInput.fromPartial({});
  return {
    taxCode: i.taxCode,
    name: i.name,
    kind: kindFromProto.get(i.kind),
    supportingIndustry: i.supportingIndustry,
    provinceCode: i.provinceCode,
    address: i.address,
    primaryVsic: i.primaryVsic,
    vsicCodes: i.vsicCodes,
    sizeBand: sizeFromProto.get(i.sizeBand) ?? 'unspecified',
    recognitions: i.recognitions.map((r) => ({
      kind: r.kind,
      level: r.level,
      year: r.year,
      product: r.product,
    })),
    trademarks: i.trademarks,
    contact: {
      person: i.contact?.person ?? '',
      phone: i.contact?.phone ?? '',
      email: i.contact?.email ?? '',
    },
  };
}

function postingToProto(posting: Posting): api.Posting {
  return posting.kind === 'capability'
    ? { posting: { $case: 'capability', value: capabilityToProto(posting) } }
    : { posting: { $case: 'need', value: needToProto(posting) } };
}

const page = (p: commonV1.PageRequest | undefined) => ({
  size: p?.pageSize ?? 0,
  cursor: decodePageToken(p?.pageToken ?? ''),
});

const kindNames = (kinds: registryV1.EnterpriseKind[]) => kinds.flatMap((k) => kindFromProto.get(k) ?? []);

/** gRPC edge of the registry: proto in, use case, proto out. Errors map to status codes in bindService. */
export function makeRegistryGrpc({ registry, log }: { registry: Registry; log: Logger }): ServiceBinding {
  const handlers: AsyncHandlers<typeof api.RegistryServiceService> = {
    async registerEnterprise(request, { metadata }) {
      const enterprise = await registry.registerEnterprise(
        actorFrom(metadata),
        enterpriseInput(request.enterprise),
      );
      return { enterprise: enterpriseToProto(enterprise) };
    },
    async updateEnterprise(request, { metadata }) {
      const { taxCode: _ignored, ...input } = enterpriseInput(request.enterprise);
      const enterprise = await registry.updateEnterprise(
        actorFrom(metadata),
        request.enterpriseId,
        input,
        request.updateMask ?? [],
        request.expectedVersion,
      );
      return { enterprise: enterpriseToProto(enterprise) };
    },
    async getEnterprise(request) {
      return { enterprise: enterpriseToProto(await registry.getEnterprise(request.enterpriseId)) };
    },
    async batchGetEnterprises(request) {
      return {
        enterprises: (await registry.batchGetEnterprises(request.enterpriseIds)).map(enterpriseToProto),
      };
    },
    async searchEnterprises(request) {
      const f = request.filter ?? api.EnterpriseFilter.fromPartial({});
      const result = await registry.searchEnterprises(
        {
          provinces: f.provinceCodes,
          regions: f.regions,
          vsicPrefix: f.vsicPrefix,
          kinds: kindNames(f.kinds),
          recognitions: f.recognitions,
          ...(f.verified !== undefined ? { verified: f.verified } : {}),
          ...(f.supportingIndustry !== undefined ? { supportingIndustry: f.supportingIndustry } : {}),
          ...(f.leadFirm !== undefined ? { leadFirm: f.leadFirm } : {}),
          text: f.text,
        },
        page(request.page),
        request.facets,
      );
      return {
        enterprises: result.items.map(enterpriseToProto),
        page: { nextPageToken: result.nextCursor, totalSize: result.total },
        facets: result.facets,
      };
    },
    async verifyEnterprise(request, { metadata }) {
      const decision =
        request.decision === api.VerificationDecision.VERIFICATION_DECISION_VERIFY
          ? 'verify'
          : request.decision === api.VerificationDecision.VERIFICATION_DECISION_REJECT
            ? 'reject'
            : undefined;
      const enterprise = await registry.verifyEnterprise(
        actorFrom(metadata),
        request.enterpriseId,
        decision,
        request.reason,
      );
      return { enterprise: enterpriseToProto(enterprise) };
    },
    async setLeadFirm(request, { metadata }) {
      const enterprise = await registry.setLeadFirm(
        actorFrom(metadata),
        request.enterpriseId,
        request.leadFirm,
      );
      return { enterprise: enterpriseToProto(enterprise) };
    },
    async postCapability(request, { metadata }) {
      const c = request.capability ?? api.CapabilityInput.fromPartial({});
      const capability = await registry.postCapability(actorFrom(metadata), {
        enterpriseId: c.enterpriseId,
        title: c.title,
        description: c.description,
        hsCodes: c.hsCodes,
        vsicCodes: c.vsicCodes,
        monthlyCapacity: quantity(c.monthlyCapacity),
        minimumOrder: quantity(c.minimumOrder),
        leadTimeDays: c.leadTimeDays,
        servedProvinces: c.servedProvinces,
        servedRegions: c.servedRegions,
        certifications: c.certifications,
        priceBand: money(c.priceBand),
        validUntil: c.validUntil ?? null,
      });
      return { capability: capabilityToProto(capability) };
    },
    async withdrawCapability(request, { metadata }) {
      const capability = await registry.withdrawCapability(
        actorFrom(metadata),
        request.capabilityId,
        request.reason,
      );
      return { capability: capabilityToProto(capability) };
    },
    async renewCapability(request, { metadata }) {
      return {
        capability: capabilityToProto(
          await registry.renewCapability(actorFrom(metadata), request.capabilityId),
        ),
      };
    },
    async postNeed(request, { metadata }) {
      const n = request.need ?? api.NeedInput.fromPartial({});
      const need = await registry.postNeed(actorFrom(metadata), {
        enterpriseId: n.enterpriseId,
        title: n.title,
        description: n.description,
        category: categoryFromProto.get(n.category),
        hsCodes: n.hsCodes,
        vsicCodes: n.vsicCodes,
        quantityPerMonth: quantity(n.quantityPerMonth),
        deadline: n.deadline ?? null,
        requiredCertifications: n.requiredCertifications,
        preferredProvinces: n.preferredProvinces,
        excludedProvinces: n.excludedProvinces,
        budget: money(n.budget),
        validUntil: n.validUntil ?? null,
      });
      return { need: needToProto(need) };
    },
    async closeNeed(request, { metadata }) {
      return {
        need: needToProto(await registry.closeNeed(actorFrom(metadata), request.needId, request.reason)),
      };
    },
    async fulfilNeed(request, { metadata }) {
      return { need: needToProto(await registry.fulfilNeed(actorFrom(metadata), request.needId)) };
    },
    async getPosting(request) {
      return postingToProto(await registry.getPosting(request.postingId));
    },
    async searchPostings(request) {
      const f = request.filter ?? api.PostingFilter.fromPartial({});
      const result = await registry.searchPostings(
        {
          kind: f.kind === api.PostingKind.POSTING_KIND_NEED ? 'need' : 'capability',
          provinces: f.provinceCodes,
          regions: f.regions,
          vsicPrefix: f.vsicPrefix,
          hsPrefix: f.hsPrefix,
          categories: f.categories.flatMap((c) => categoryFromProto.get(c) ?? []),
          enterpriseId: f.enterpriseId,
          includeClosed: f.includeClosed,
          certifications: f.certifications.map((c) => c.toUpperCase()),
          text: f.text,
        },
        page(request.page),
        request.facets,
      );
      return {
        postings: result.items.map(postingToProto),
        page: { nextPageToken: result.nextCursor, totalSize: result.total },
        facets: result.facets,
      };
    },
    async formCluster(request, { metadata }) {
      const cluster = await registry.formCluster(actorFrom(metadata), {
        name: request.name,
        chain: request.chain,
        anchorEnterpriseId: request.anchorEnterpriseId,
        memberIds: request.memberEnterpriseIds,
      });
      return { cluster: clusterToProto(cluster) };
    },
    async joinCluster(request, { metadata }) {
      return {
        cluster: clusterToProto(
          await registry.joinCluster(actorFrom(metadata), request.clusterId, request.enterpriseId),
        ),
      };
    },
    async leaveCluster(request, { metadata }) {
      return {
        cluster: clusterToProto(
          await registry.leaveCluster(actorFrom(metadata), request.clusterId, request.enterpriseId),
        ),
      };
    },
    async getCluster(request) {
      return { cluster: clusterToProto(await registry.getCluster(request.clusterId)) };
    },
    async getContact(request, { metadata }) {
      const contact = await registry.getContact(actorFrom(metadata), request.enterpriseId, request.matchId);
      return { contact, releasedAt: new Date() };
    },
  };
  return bindService(REGISTRY_SERVICE_NAME, api.RegistryServiceService, handlers, log);
}
