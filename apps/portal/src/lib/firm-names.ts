import { useEffect, useState } from 'preact/hooks';
import { fetchEnterprise } from './enterprises';

/** A firm's name: the name, `null` when its public profile cannot be read, missing while it loads. */
export type FirmNames = Record<string, string | null>;

// Names the events carried themselves (a registration names its firm): no request for them.
const known = new Map<string, string>();

export function rememberFirmName(id: string, name: string): void {
  if (id && name) known.set(id, name);
}

/**
 * Names of the firms an event list mentions, each asked once per page load (`fetchEnterprise` caches),
 * filled in as they arrive; the caller shows a neutral placeholder until then, never the raw id.
 */
export function useFirmNames(ids: readonly string[]): FirmNames {
  const [names, setNames] = useState<FirmNames>({});
  const key = [...new Set(ids)].sort().join(',');
  useEffect(() => {
    let live = true;
    const wanted = key ? key.split(',') : [];
    const ready: FirmNames = {};
    for (const id of wanted) {
      const name = known.get(id);
      if (name) ready[id] = name;
    }
    if (Object.keys(ready).length > 0) setNames((n) => ({ ...n, ...ready }));
    for (const id of wanted) {
      if (ready[id]) continue;
      void fetchEnterprise(id).then((enterprise) => {
        if (!live) return;
        if (enterprise?.name) known.set(id, enterprise.name);
        setNames((n) => (n[id] ? n : { ...n, [id]: enterprise?.name ?? null }));
      });
    }
    return () => {
      live = false;
    };
  }, [key]);
  return names;
}
