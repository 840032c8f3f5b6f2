import type { GatewayContext } from '../service';

/** Wires the webhooks module into the gateway (scaffold: filled in by its own change). */
export async function install(_context: GatewayContext): Promise<void> {}
