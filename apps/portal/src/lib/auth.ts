import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

export type Role = 'enterprise' | 'province' | 'analyst' | 'admin';
const ROLES: readonly Role[] = ['enterprise', 'province', 'analyst', 'admin'];

/** Who the token says the caller is; the gateway verifies the signature on every call. */
export interface Session {
  token: string;
  /** Signed in at the provider (refreshes silently, signs out everywhere), or a pasted development token. */
  via: 'provider' | 'developer';
  refreshToken?: string;
  idToken?: string;
  /** The person's name (ID token), when the provider gives it. */
  name?: string;
  /** The organisation the token speaks for (`org_id`). */
  organisationId?: string;
  role: Role;
  subject: string;
  enterpriseId: string;
  provinceCode: string;
  /** Seconds since the epoch, when the token has `exp`. */
  expiresAt?: number;
}

export type SessionProblem = 'notJwt' | 'noRole' | 'expired';

const STORAGE_KEY = 'lienket.token';

function decodePart(part: string): unknown {
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/');
  const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
  const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes));
}

/** Reads the claims of a LienKet token (no verification: that is the gateway's job). */
export function readToken(token: string, now = Date.now()): Session | SessionProblem {
  const parts = token.trim().split('.');
  if (parts.length !== 3 || !parts[1]) return 'notJwt';
  let claims: Record<string, unknown>;
  try {
    claims = decodePart(parts[1]) as Record<string, unknown>;
  } catch {
    return 'notJwt';
  }
  if (typeof claims !== 'object' || claims === null) return 'notJwt';
  const realmRoles = (claims.realm_access as { roles?: unknown } | undefined)?.roles;
  const role = (
    typeof claims.role === 'string'
      ? claims.role
      : Array.isArray(realmRoles)
        ? realmRoles.find((r) => ROLES.includes(r as Role))
        : undefined
  ) as Role | undefined;
  if (!role || !ROLES.includes(role)) return 'noRole';
  const exp = typeof claims.exp === 'number' ? claims.exp : undefined;
  if (exp !== undefined && exp * 1000 <= now) return 'expired';
  return {
    token: token.trim(),
    via: 'developer',
    ...(typeof claims.org_id === 'string' && claims.org_id ? { organisationId: claims.org_id } : {}),
    role,
    subject: typeof claims.sub === 'string' ? claims.sub : '',
    enterpriseId: typeof claims.enterprise_id === 'string' ? claims.enterprise_id : '',
    provinceCode: typeof claims.province_code === 'string' ? claims.province_code : '',
    ...(exp !== undefined ? { expiresAt: exp } : {}),
  };
}

interface Stored {
  token: string;
  via?: Session['via'];
  refreshToken?: string;
  idToken?: string;
  name?: string;
}

/** A session from a provider's tokens (or a pasted token), checked like any token. */
export function sessionOf(stored: Stored, now = Date.now()): Session | SessionProblem {
  const read = readToken(stored.token, now);
  if (typeof read === 'string') return read;
  return {
    ...read,
    via: stored.via ?? 'developer',
    ...(stored.refreshToken ? { refreshToken: stored.refreshToken } : {}),
    ...(stored.idToken ? { idToken: stored.idToken } : {}),
    ...(stored.name ? { name: stored.name } : {}),
  };
}

export function loadSession(): Session | undefined {
  try {
    const text = sessionStorage.getItem(STORAGE_KEY);
    if (!text) return undefined;
    const stored: Stored = text.startsWith('{') ? (JSON.parse(text) as Stored) : { token: text };
    // An expired access token is fine when a refresh token can renew it.
    const session = sessionOf(stored, stored.refreshToken ? 0 : Date.now());
    if (typeof session === 'string') {
      sessionStorage.removeItem(STORAGE_KEY);
      return undefined;
    }
    return session;
  } catch {
    return undefined;
  }
}

export function saveSession(session: Session | undefined): void {
  try {
    if (session) {
      const stored: Stored = {
        token: session.token,
        via: session.via,
        ...(session.refreshToken ? { refreshToken: session.refreshToken } : {}),
        ...(session.idToken ? { idToken: session.idToken } : {}),
        ...(session.name ? { name: session.name } : {}),
      };
      sessionStorage.setItem(STORAGE_KEY, JSON.stringify(stored));
    } else sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // storage blocked: the session lasts for this page only
  }
}

export interface Auth {
  session: Session | undefined;
  /** The provider's sign-in is available (the gateway names one). */
  provider: boolean;
  signIn(session: Session): void;
  /** Ends the session here and, when signed in at the provider, everywhere. */
  signOut(): void;
}

export const AuthContext = createContext<Auth>({
  session: undefined,
  provider: false,
  signIn: () => undefined,
  signOut: () => undefined,
});
export const useAuth = () => useContext(AuthContext);
