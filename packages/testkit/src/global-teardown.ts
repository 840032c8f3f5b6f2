import type { ResolvedInfrastructure } from './infrastructure';

export default async function globalTeardown(): Promise<void> {
  const infrastructure = (globalThis as { __lienketInfra?: ResolvedInfrastructure }).__lienketInfra;
  await infrastructure?.stop();
}
