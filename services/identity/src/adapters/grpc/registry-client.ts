import { registryServiceV1 as api, registryV1 } from '@lienket/contracts';
import { actorMetadata, createGrpcClient } from '@lienket/platform';
import type { EnterpriseRegistry } from '../../app/ports';

const kinds: Record<string, registryV1.EnterpriseKind> = {
  enterprise: registryV1.EnterpriseKind.ENTERPRISE_KIND_ENTERPRISE,
  cooperative: registryV1.EnterpriseKind.ENTERPRISE_KIND_COOPERATIVE,
  household_business: registryV1.EnterpriseKind.ENTERPRISE_KIND_HOUSEHOLD_BUSINESS,
  rural_industrial_establishment: registryV1.EnterpriseKind.ENTERPRISE_KIND_RURAL_INDUSTRIAL_ESTABLISHMENT,
};

/**
 * The registry as sign-up uses it: identity registers exactly the establishment signing up, as a
 * LienKet service (the registry lets only services and officers register firms), naming the new
 * account as the subject for the registry's records.
 */
export function createRegistryClient(address: string, deadlineMs: number) {
  const client = createGrpcClient(api.RegistryServiceService, address, { deadlineMs });
  const registry: EnterpriseRegistry & { close(): void } = {
    async registerEnterprise(input) {
      const response = await client.registerEnterprise(
        api.RegisterEnterpriseRequest.fromPartial({
          enterprise: {
            taxCode: input.taxCode,
            name: input.name,
            kind: kinds[input.kind] ?? registryV1.EnterpriseKind.ENTERPRISE_KIND_UNSPECIFIED,
            provinceCode: input.provinceCode,
            primaryVsic: input.primaryVsic,
            contact: { person: input.contactPerson, phone: input.contactPhone, email: input.contactEmail },
          },
        }),
        {
          metadata: actorMetadata({
            role: 'service',
            enterpriseId: '',
            provinceCode: '',
            subject: `identity/${input.subject}`,
          }),
        },
      );
      const enterprise = response.enterprise;
      if (!enterprise) throw new Error('registry answered without an enterprise');
      return { enterpriseId: enterprise.id, provinceCode: enterprise.province?.code ?? input.provinceCode };
    },
    close: () => client.close(),
  };
  return registry;
}
