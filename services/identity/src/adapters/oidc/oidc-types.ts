/**
 * oidc-provider's types. It is an ES module and this build is CommonJS, so its types are named
 * through import types with `resolution-mode` (an `import type` statement with that attribute is
 * TypeScript that Biome does not parse yet).
 */
type Oidc = typeof import('oidc-provider', { with: { 'resolution-mode': 'import' }});

export type Provider = InstanceType<Oidc['default']>;
export type Configuration = NonNullable<ConstructorParameters<Oidc['default']>[1]>;
export type ClientMetadata = NonNullable<Configuration['clients']>[number];
export type KoaContextWithOIDC = Parameters<NonNullable<Configuration['renderError']>>[0];
