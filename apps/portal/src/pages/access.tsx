import type { Schemas } from '@lienket/api-client';
import { useEffect, useState } from 'preact/hooks';
import { ErrorNotice, Field, Loading, Notice, PageTitle, ScrollRegion } from '../components/ui';
import { ApiError, answer, client, fieldErrors } from '../lib/api';
import { type Session, useAuth } from '../lib/auth';
import { useEnterpriseNames } from '../lib/enterprises';
import { type MessageKey, useI18n } from '../lib/i18n';
import { useLoad } from '../lib/load';
import { signInConfig } from '../lib/oidc';

type Invitation = Schemas['lienket.identity.v1.Invitation'];
type Delegation = Schemas['lienket.identity.v1.Delegation'];
type MembershipRole = NonNullable<Invitation['role']>;

/** Whom each kind of organisation's administrator invites (identity's rules decide; this is the offer). */
const INVITABLE: Record<Session['role'], readonly MembershipRole[]> = {
  province: [
    'MEMBERSHIP_ROLE_PROVINCE_OFFICER',
    'MEMBERSHIP_ROLE_COMMUNE_OFFICER',
    'MEMBERSHIP_ROLE_ANALYST',
  ],
  admin: ['MEMBERSHIP_ROLE_PROVINCE_ADMIN', 'MEMBERSHIP_ROLE_ANALYST'],
  enterprise: ['MEMBERSHIP_ROLE_ENTERPRISE_MEMBER'],
  analyst: [],
};

const roleKey = (role: string | undefined) =>
  `access.role.${(role ?? '').replace('MEMBERSHIP_ROLE_', '').toLowerCase()}` as MessageKey;

function Invitations({ session }: { session: Session }) {
  const { t, date, lang } = useI18n();
  const organisationId = session.organisationId ?? '';
  const roles = INVITABLE[session.role];
  const [role, setRole] = useState<MembershipRole | undefined>(roles[0]);
  const [login, setLogin] = useState('');
  const [days, setDays] = useState(7);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [link, setLink] = useState<string>();
  const [issuer, setIssuer] = useState<string>();
  useEffect(() => {
    void signInConfig().then((c) => setIssuer(c?.issuer));
  }, []);
  const loaded = useLoad(
    (signal) =>
      answer(
        client.GET('/v1/invitations', { params: { query: { organisation_id: organisationId } }, signal }),
      ),
    [organisationId, session.token],
  );
  const invite = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    setLink(undefined);
    try {
      const issued = await answer(
        client.POST('/v1/invitations', {
          body: { organisationId, role, invitedLogin: login.trim(), validDays: days },
        }),
      );
      if (issued?.linkToken) setLink(`${issuer ?? ''}/invitations/${issued.linkToken}`);
      setLogin('');
      loaded.reload();
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };
  const revoke = async (invitationId: string) => {
    setError(undefined);
    try {
      await answer(
        client.POST('/v1/invitations/{invitationId}/revocation', { params: { path: { invitationId } } }),
      );
      loaded.reload();
    } catch (caught) {
      setError(caught);
    }
  };
  const pending = (loaded.data?.invitations ?? []).filter((i) => i.status === 'pending');
  const errors = fieldErrors(error, lang, ['invitedLogin']);
  // An officer who is not its centre's administrator may not invite: identity says so, the card stays away.
  if (loaded.error instanceof ApiError && loaded.error.status === 403) return null;
  return (
    <section class="card" aria-labelledby="invitations" data-testid="invitations">
      <h2 id="invitations">{t('access.invitations')}</h2>
      <form class="form" onSubmit={invite} data-testid="invite">
        <Field label={t('access.invitee')} hint={t('access.inviteeHint')} errors={errors.invitedLogin}>
          {({ id, describedBy, invalid }) => (
            <input
              id={id}
              name="invitedLogin"
              autoComplete="off"
              required
              value={login}
              aria-describedby={describedBy}
              aria-invalid={invalid}
              onInput={(e) => setLogin(e.currentTarget.value)}
            />
          )}
        </Field>
        <div class="field-row">
          <Field label={t('access.role')}>
            {({ id }) => (
              <select
                id={id}
                name="role"
                value={role}
                onChange={(e) => setRole(e.currentTarget.value as MembershipRole)}
              >
                {roles.map((r) => (
                  <option key={r} value={r}>
                    {t(roleKey(r))}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label={t('access.validDays')}>
            {({ id }) => (
              <input
                id={id}
                name="validDays"
                type="number"
                min={1}
                max={30}
                value={days}
                onInput={(e) => setDays(Number(e.currentTarget.value) || 7)}
              />
            )}
          </Field>
        </div>
        <p class="actions">
          <button type="submit" class="button button-primary" disabled={busy || !login.trim()}>
            {busy ? t('app.loading') : t('access.invite')}
          </button>
        </p>
      </form>
      {error ? <ErrorNotice error={error} /> : null}
      {link && (
        <Notice kind="ok">
          {t('access.linkOnce')}{' '}
          <code class="invitation-link" data-testid="invitation-link">
            {link}
          </code>
        </Notice>
      )}
      <h3>{t('access.pending')}</h3>
      {loaded.error ? <ErrorNotice error={loaded.error} retry={loaded.reload} /> : null}
      {!loaded.data && loaded.loading ? (
        <Loading />
      ) : pending.length === 0 ? (
        <p>{t('access.noPending')}</p>
      ) : (
        <ScrollRegion label={t('access.pending')}>
          <table>
            <caption class="sr-only">{t('access.pending')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('access.invitee')}</th>
                <th scope="col">{t('access.role')}</th>
                <th scope="col">{t('access.expires')}</th>
                <th scope="col">
                  <span class="sr-only">{t('access.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {pending.map((i) => (
                <tr key={i.invitationId} data-invitation={i.invitationId}>
                  <th scope="row">{i.maskedLogin}</th>
                  <td>{t(roleKey(i.role))}</td>
                  <td>{date(i.expiresAt)}</td>
                  <td>
                    <button type="button" class="button" onClick={() => revoke(i.invitationId ?? '')}>
                      {t('access.revokeInvitation')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}
    </section>
  );
}

function Delegations({ session }: { session: Session }) {
  const { t, date } = useI18n();
  // An establishment's members see what it granted; an officer the delegations it holds.
  const granted = session.role === 'enterprise';
  const organisationId = granted ? (session.organisationId ?? '') : '';
  const [error, setError] = useState<unknown>();
  const loaded = useLoad(
    (signal) =>
      answer(
        client.GET('/v1/delegations', {
          params: { query: organisationId ? { organisation_id: organisationId } : {} },
          signal,
        }),
      ),
    [organisationId, session.token],
  );
  const delegations: Delegation[] = loaded.data?.delegations ?? [];
  const names = useEnterpriseNames(delegations.map((d) => d.enterpriseId ?? '').filter(Boolean));
  const revoke = async (delegationId: string) => {
    setError(undefined);
    try {
      await answer(
        client.POST('/v1/delegations/{delegationId}/revocation', { params: { path: { delegationId } } }),
      );
      loaded.reload();
    } catch (caught) {
      setError(caught);
    }
  };
  const title = granted ? t('access.delegationsGranted') : t('access.delegationsHeld');
  return (
    <section class="card" aria-labelledby="delegations">
      <h2 id="delegations">{title}</h2>
      <p class="hint">{granted ? t('access.delegationsGrantedHint') : t('access.delegationsHeldHint')}</p>
      {error ? <ErrorNotice error={error} /> : null}
      {loaded.error ? <ErrorNotice error={loaded.error} retry={loaded.reload} /> : null}
      {!loaded.data && loaded.loading ? (
        <Loading />
      ) : delegations.length === 0 ? (
        <p>{t('access.noDelegations')}</p>
      ) : (
        <ul class="delegations">
          {delegations.map((d) => (
            <li key={d.delegationId} data-delegation={d.delegationId} data-active={String(Boolean(d.active))}>
              <strong>{granted ? t('access.officer') : (names[d.enterpriseId ?? ''] ?? '…')}</strong>
              <span class="muted">
                {' · '}
                {d.active
                  ? t('access.until', { date: date(d.endsAt) })
                  : d.revokedAt
                    ? t('access.revokedOn', { date: date(d.revokedAt) })
                    : t('access.ended', { date: date(d.endsAt) })}
              </span>
              {d.active && (
                <button type="button" class="button" onClick={() => revoke(d.delegationId ?? '')}>
                  {granted ? t('access.revokeDelegation') : t('access.giveUpDelegation')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Who may act here: invitations an administrator sent, and the delegations granted or held. */
export function AccessPage() {
  const { t } = useI18n();
  const { session } = useAuth();
  if (!session) return null;
  const invites = session.via === 'provider' && INVITABLE[session.role].length > 0;
  const delegates = session.role === 'enterprise' || session.role === 'province';
  return (
    <>
      <PageTitle>{t('access.title')}</PageTitle>
      {session.via !== 'provider' && <p>{t('access.providerOnly')}</p>}
      <div class="two-columns">
        {invites && <Invitations session={session} />}
        {delegates && session.via === 'provider' && <Delegations session={session} />}
      </div>
    </>
  );
}
