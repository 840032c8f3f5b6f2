import { makeClusterUseCases } from './clusters';
import { makeContactUseCases } from './contacts';
import { makeRegistryContext, type RegistryDeps } from './context';
import { makeEnterpriseUseCases } from './enterprises';
import { makeExpiry } from './expiry';
import { makePostingUseCases } from './postings';

export type { RegistryDeps } from './context';

/**
 * The registry's use cases, one module per group (enterprises, postings, clusters, contacts, and
 * the expiry job): load, decide with the domain, save state and events together,
 * return.
 */
export function makeRegistry(deps: RegistryDeps) {
  const ctx = makeRegistryContext(deps);
  return {
    ...makeEnterpriseUseCases(ctx),
    ...makePostingUseCases(ctx),
    ...makeClusterUseCases(ctx),
    ...makeContactUseCases(ctx),
    ...makeExpiry(ctx),
  };
}

export type Registry = ReturnType<typeof makeRegistry>;
