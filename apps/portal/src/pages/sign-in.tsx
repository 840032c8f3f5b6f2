import { useState } from 'preact/hooks';
import { Field, PageTitle } from '../components/ui';
import { readToken, useAuth } from '../lib/auth';
import { useI18n } from '../lib/i18n';
import { provinceName } from '../lib/reference';
import { parseHash, type Route } from '../lib/router';

export function SignInPage({ route }: { route: Route }) {
  const { t, dateTime } = useI18n();
  const { session, signIn, signOut } = useAuth();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string>();

  const submit = (e: Event) => {
    e.preventDefault();
    const read = readToken(token);
    if (typeof read === 'string') {
      setError(read === 'expired' ? t('auth.expired') : t('auth.invalid', { reason: t(`auth.${read}`) }));
      return;
    }
    setError(undefined);
    signIn(read);
    setToken('');
    // Back where sign-in was asked for (only a portal route).
    const next = route.query.get('next') ?? '';
    location.hash = next.startsWith('/') && parseHash(`#${next}`).segments[0] !== 'signin' ? next : '/search';
  };

  return (
    <>
      <PageTitle>{t('auth.title')}</PageTitle>
      {session && (
        <section class="card" aria-labelledby="whoami">
          <h2 id="whoami">{t('auth.whoami')}</h2>
          <dl class="facts">
            <div>
              <dt>{t('auth.whoami')}</dt>
              <dd>{t(`role.${session.role}`)}</dd>
            </div>
            {session.enterpriseId && (
              <div>
                <dt>{t('role.enterprise')}</dt>
                <dd>{session.enterpriseId}</dd>
              </div>
            )}
            {session.provinceCode && (
              <div>
                <dt>{t('posting.province')}</dt>
                <dd>{provinceName(session.provinceCode)}</dd>
              </div>
            )}
            {session.expiresAt && (
              <div>
                <dt class="sr-only">{t('auth.expires', { time: '' })}</dt>
                <dd>
                  {t('auth.expires', { time: dateTime(new Date(session.expiresAt * 1000).toISOString()) })}
                </dd>
              </div>
            )}
          </dl>
          <button type="button" class="button" onClick={signOut}>
            {t('auth.signOut')}
          </button>
        </section>
      )}
      <form class="card form" onSubmit={submit} noValidate>
        <p>{t('auth.intro')}</p>
        <Field label={t('auth.token')} errors={error ? [error] : undefined}>
          {({ id, describedBy, invalid }) => (
            <textarea
              id={id}
              name="token"
              rows={4}
              autoComplete="off"
              spellcheck={false}
              required
              aria-invalid={invalid}
              aria-describedby={describedBy}
              value={token}
              onInput={(e) => setToken(e.currentTarget.value)}
            />
          )}
        </Field>
        <button type="submit" class="button button-primary">
          {t('auth.submit')}
        </button>
      </form>
    </>
  );
}
