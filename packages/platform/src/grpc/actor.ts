import * as grpc from '@grpc/grpc-js';
import { commonV1 } from '@lienket/contracts';

/** Metadata entry carrying the authenticated caller (lienket.common.v1.Actor, binary). */
export const ACTOR_METADATA = 'lienket-actor-bin';

export type ActorRole = 'enterprise' | 'province' | 'analyst' | 'admin' | 'service' | 'anonymous';

export interface Actor {
  role: ActorRole;
  enterpriseId: string;
  provinceCode: string;
  subject: string;
}

export const anonymous: Actor = Object.freeze({
  role: 'anonymous',
  enterpriseId: '',
  provinceCode: '',
  subject: '',
});

const roleToProto: Record<ActorRole, commonV1.Role> = {
  anonymous: commonV1.Role.ROLE_UNSPECIFIED,
  enterprise: commonV1.Role.ROLE_ENTERPRISE,
  province: commonV1.Role.ROLE_PROVINCE,
  analyst: commonV1.Role.ROLE_ANALYST,
  admin: commonV1.Role.ROLE_ADMIN,
  service: commonV1.Role.ROLE_SERVICE,
};
const roleFromProto = new Map(Object.entries(roleToProto).map(([role, value]) => [value, role as ActorRole]));

/** Metadata that tells the callee who is calling. */
export function actorMetadata(actor: Actor, metadata = new grpc.Metadata()): grpc.Metadata {
  const encoded = commonV1.Actor.encode({
    role: roleToProto[actor.role],
    enterpriseId: actor.enterpriseId,
    provinceCode: actor.provinceCode,
    subject: actor.subject,
  }).finish();
  metadata.set(ACTOR_METADATA, Buffer.from(encoded));
  return metadata;
}

/** The caller named in the metadata; anonymous when absent or unreadable. */
export function actorFrom(metadata: grpc.Metadata): Actor {
  const raw = metadata.get(ACTOR_METADATA)[0];
  if (!(raw instanceof Buffer)) return anonymous;
  try {
    const actor = commonV1.Actor.decode(raw);
    return {
      role: roleFromProto.get(actor.role) ?? 'anonymous',
      enterpriseId: actor.enterpriseId,
      provinceCode: actor.provinceCode,
      subject: actor.subject,
    };
  } catch {
    return anonymous;
  }
}
