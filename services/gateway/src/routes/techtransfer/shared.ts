import type { ParamSpec } from '../../http/api';

/** The proto package of technology transfer's messages. */
export const T = 'lienket.techtransfer.v1';
export const tag = 'techtransfer';
export const id = (description: string): ParamSpec => ({
  type: 'string',
  description,
  maxLength: 64,
  pattern: '^[A-Za-z0-9_.:-]+$',
});
export const everyone = ['anonymous', 'enterprise', 'province', 'analyst', 'admin'] as const;
export const signedIn = ['enterprise', 'province', 'analyst', 'admin'] as const;
/** The parties of an offer, a request or an application: its enterprise, or an admin for it. */
export const parties = ['enterprise', 'admin'] as const;
