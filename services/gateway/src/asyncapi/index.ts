import type { GatewayContext } from '../service';

/** Wires the asyncapi module into the gateway (scaffold: filled in by its own change). */
export async function install(_context: GatewayContext): Promise<void> {}
