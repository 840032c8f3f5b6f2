import type { Login } from './model';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * Reads what a person typed as login: an email (lower-cased) or a Vietnamese mobile number
 * (0xxxxxxxxx, 84xxxxxxxxx or +84xxxxxxxxx, spaces, dots and dashes ignored) as E.164.
 */
export function parseLogin(raw: string): Login | undefined {
  const text = raw.trim();
  if (text.length === 0 || text.length > 254) return undefined;
  if (text.includes('@')) return EMAIL.test(text) ? { kind: 'email', value: text.toLowerCase() } : undefined;
  const digits = text.replace(/[\s.()-]/g, '');
  const match = /^(?:\+?84|0)([35789]\d{8})$/.exec(digits);
  return match ? { kind: 'phone', value: `+84${match[1]}` } : undefined;
}

/** The key a login is unique under. */
export const loginKey = (login: Login) => `${login.kind}:${login.value}`;

/** A login shown without giving it away whole (audit views, invitations lists). */
export function maskLogin(login: Login): string {
  if (login.kind === 'phone') return `${login.value.slice(0, 5)}•••${login.value.slice(-2)}`;
  const [name = '', domain = ''] = login.value.split('@');
  return `${name.slice(0, 1)}•••@${domain}`;
}
