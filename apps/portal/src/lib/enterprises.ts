import { useEffect, useState } from 'preact/hooks';
import { answer, client } from './api';
import type { Enterprise } from './types';

// Public profiles change rarely: one request per enterprise per page load.
const cache = new Map<string, Promise<Enterprise | undefined>>();

export function fetchEnterprise(id: string): Promise<Enterprise | undefined> {
  let pending = cache.get(id);
  if (!pending) {
    pending = answer(
      client.GET('/v1/enterprises/{enterpriseId}', { params: { path: { enterpriseId: id } } }),
    ).then(
      (r) => r?.enterprise as Enterprise | undefined,
      () => {
        cache.delete(id);
        return undefined;
      },
    );
    cache.set(id, pending);
  }
  return pending;
}

/** Names of the given enterprises, filled in as they arrive. */
export function useEnterpriseNames(ids: readonly string[]): Record<string, string> {
  const [names, setNames] = useState<Record<string, string>>({});
  const key = [...new Set(ids)].sort().join(',');
  useEffect(() => {
    let live = true;
    for (const id of key ? key.split(',') : []) {
      void fetchEnterprise(id).then((enterprise) => {
        if (live && enterprise) setNames((n) => (n[id] ? n : { ...n, [id]: enterprise.name }));
      });
    }
    return () => {
      live = false;
    };
  }, [key]);
  return names;
}
