// `npm run token -- <role> [enterprise id | province code]`: a development token for the local
// gateway, e.g. `npm run token -- enterprise 01a2…` or `npm run token -- province 01`.
import { devToken } from './dev-auth.mjs';

const [role, subject] = process.argv.slice(2);
const roles = ['enterprise', 'province', 'analyst', 'admin'];
if (
  !roles.includes(role) ||
  (role === 'enterprise' && !subject) ||
  (role === 'province' && !/^\d{2}$/.test(subject ?? ''))
) {
  process.stderr.write(
    'usage: npm run token -- admin | analyst | province <2-digit code> | enterprise <enterprise id>\n',
  );
  process.exit(2);
}
const claims = { sub: `dev-${role}-${subject ?? 'user'}`, role };
if (role === 'enterprise') claims.enterprise_id = subject;
if (role === 'province') claims.province_code = subject;
process.stdout.write(`${await devToken(claims)}\n`);
