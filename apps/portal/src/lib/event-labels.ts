import type { EventLabel } from '@lienket/reference';

export {
  eventGroups,
  eventLabel,
  eventPrefixLabel as prefixLabel,
  webhookTestEventType,
} from '@lienket/reference';

/** Where an enterprise stands in an event, by the key that names it in the payload. */
export type FirmRole = 'buyer' | 'supplier' | 'owner' | 'interested' | 'applicant' | 'anchor' | 'firm';

export const firmRoleLabels: Record<FirmRole, EventLabel> = {
  buyer: { vi: 'Bên mua', en: 'Buyer' },
  supplier: { vi: 'Bên cung ứng', en: 'Supplier' },
  owner: { vi: 'Chủ công nghệ', en: 'Technology owner' },
  interested: { vi: 'Bên quan tâm', en: 'Interested firm' },
  applicant: { vi: 'Bên đề nghị', en: 'Applicant' },
  anchor: { vi: 'Doanh nghiệp dẫn dắt', en: 'Lead firm' },
  firm: { vi: 'Doanh nghiệp', en: 'Firm' },
};

export interface FirmMention {
  role: FirmRole;
  id: string;
  /** The name when the payload carries it (a registration does). */
  name?: string;
}

const ROLE_OF_PREFIX: Record<string, FirmRole> = {
  buyer: 'buyer',
  supplier: 'supplier',
  owner: 'owner',
  interested: 'interested',
  applicant: 'applicant',
  anchor: 'anchor',
};

/** The enterprises an event's payload names (`…EnterpriseId` keys, `enterprise: { id, name }`), each once. */
export function firmsIn(data: unknown): FirmMention[] {
  const found = new Map<string, FirmMention>();
  const add = (role: FirmRole, id: string, name?: string) => {
    const existing = found.get(id);
    if (!existing) found.set(id, { role, id, ...(name ? { name } : {}) });
    else if (name && !existing.name) existing.name = name;
  };
  const walk = (value: unknown, key: string, depth: number) => {
    if (depth > 6 || value === null || value === undefined) return;
    if (Array.isArray(value)) {
      for (const item of value) walk(item, key, depth + 1);
      return;
    }
    if (typeof value === 'object') {
      const record = value as Record<string, unknown>;
      // An acceptance or a refusal names its firm and the side it is on.
      if (typeof record.enterpriseId === 'string' && (record.side === 'buyer' || record.side === 'supplier'))
        add(record.side, record.enterpriseId);
      if (key === 'enterprise' && typeof record.id === 'string' && record.id)
        add('firm', record.id, typeof record.name === 'string' ? record.name : undefined);
      for (const [k, v] of Object.entries(record)) walk(v, k, depth + 1);
      return;
    }
    if (typeof value !== 'string' || !value) return;
    const match = /^(?:(\w+?)E|e)nterpriseIds?$/.exec(key);
    if (!match) return;
    add(ROLE_OF_PREFIX[match[1] ?? ''] ?? 'firm', value);
  };
  walk(data, '', 0);
  return [...found.values()];
}
