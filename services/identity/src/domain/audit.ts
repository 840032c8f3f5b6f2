import type { AuditEntry, AuditKind } from './model';

export type AuditFields = Partial<Omit<AuditEntry, 'id' | 'at' | 'kind'>>;

export function auditEntry(kind: AuditKind, fields: AuditFields, id: string, at: Date): AuditEntry {
  return {
    id,
    at,
    kind,
    actorAccountId: fields.actorAccountId ?? '',
    subjectAccountId: fields.subjectAccountId ?? '',
    organisationId: fields.organisationId ?? '',
    address: fields.address ?? '',
    detail: fields.detail ?? '',
    onBehalfOf: fields.onBehalfOf ?? '',
  };
}
