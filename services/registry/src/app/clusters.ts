import { Events } from '@lienket/contracts';
import type { Actor } from '@lienket/platform';
import { formCluster, joinCluster, leaveCluster } from '../domain/cluster';
import type { Cluster } from '../domain/model';
import { requireActsFor } from '../domain/policy';
import { notFound, type RegistryContext } from './context';
import { clusterToProto } from './to-proto';

/** Linkage clusters: formed around an anchor enterprise, joined and left by members. */
export function makeClusterUseCases(ctx: RegistryContext) {
  const { store, clock, newId, afterWrite, event, loadEnterprise, changeCluster } = ctx;

  return {
    async formCluster(
      actor: Actor,
      input: { name: string; chain: string; anchorEnterpriseId: string; memberIds: string[] },
    ) {
      requireActsFor(actor, input.anchorEnterpriseId);
      const anchor = await loadEnterprise(input.anchorEnterpriseId);
      const members = await store.findEnterprises(input.memberIds);
      const missing = input.memberIds.filter((id) => !members.some((m) => m.id === id));
      if (missing.length > 0) throw notFound('enterprise', missing.join(', '), 'doanh nghiệp');
      const now = clock();
      const cluster = formCluster(input, anchor, members, newId(), now);
      await store.insertCluster(cluster, [
        event(Events.clusterFormed, { cluster: clusterToProto(cluster) }, cluster.id, now),
      ]);
      afterWrite();
      return cluster;
    },

    async joinCluster(actor: Actor, clusterId: string, enterpriseId: string) {
      requireActsFor(actor, enterpriseId);
      const enterprise = await loadEnterprise(enterpriseId);
      return changeCluster(clusterId, (current, now) => ({
        next: joinCluster(current, enterprise, now),
        events: [
          event(
            Events.clusterMemberJoined,
            { clusterId, enterpriseId, province: enterprise.province },
            clusterId,
            now,
          ),
        ],
      }));
    },

    async leaveCluster(actor: Actor, clusterId: string, enterpriseId: string) {
      requireActsFor(actor, enterpriseId);
      return changeCluster(clusterId, (current, now) => {
        const province = current.members.find((m) => m.enterpriseId === enterpriseId)?.province ?? '';
        return {
          next: leaveCluster(current, enterpriseId, now),
          events: [event(Events.clusterMemberLeft, { clusterId, enterpriseId, province }, clusterId, now)],
        };
      });
    },

    async getCluster(id: string): Promise<Cluster> {
      const cluster = await store.findCluster(id);
      if (!cluster) throw notFound('cluster', id, 'cụm liên kết');
      return cluster;
    },
  };
}
