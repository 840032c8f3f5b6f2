import { useState } from 'preact/hooks';
import { Field, PageTitle } from '../components/ui';
import { readToken, useAuth } from '../lib/auth';
import { useEnterpriseNames } from '../lib/enterprises';
import { useI18n } from '../lib/i18n';
import { beginSignIn, SIGN_IN_ERROR_KEY } from '../lib/oidc';
import { provinceName } from '../lib/reference';
import { href, parseHash, type Route } from '../lib/router';

/** Where to go after signing in: only a portal route, never the sign-in pages again. */
function nextOf(route: Route): string {
  const next = route.query.get('next') ?? '';
  const first = parseHash(`#${next}`).segments[0];
  return next.startsWith('/') && first !== 'signin' && first !== 'register' ? next : '/search';
}

function takeSignInError(): string | undefined {
  try {
    const error = sessionStorage.getItem(SIGN_IN_ERROR_KEY) ?? undefined;
    sessionStorage.removeItem(SIGN_IN_ERROR_KEY);
    return error;
  } catch {
    return undefined;
  }
}

/**
 * Sign in at the platform's identity provider (the authorization code flow with PKCE); a developer may
 * still paste a token (`#/signin/developer`, linked at the bottom, or the only way when no provider is
 * configured).
 */
export function SignInPage({ route }: { route: Route }) {
  const { t, dateTime } = useI18n();
  const { session, signOut, provider } = useAuth();
  const [failed] = useState(takeSignInError);
  const [error, setError] = useState<string>();
  const [leaving, setLeaving] = useState(false);
  const developer = route.segments[1] === 'developer' || !provider;
  const names = useEnterpriseNames(session?.enterpriseId ? [session.enterpriseId] : []);

  const start = () => {
    setLeaving(true);
    beginSignIn(nextOf(route)).catch((e: unknown) => {
      setLeaving(false);
      setError(e instanceof Error ? e.message : String(e));
    });
  };

  return (
    <>
      <PageTitle>{t('auth.title')}</PageTitle>
      {session && (
        <section class="card" aria-labelledby="whoami">
          <h2 id="whoami">{t('auth.whoami')}</h2>
          <dl class="facts">
            {session.name && (
              <div>
                <dt>{t('auth.person')}</dt>
                <dd>{session.name}</dd>
              </div>
            )}
            <div>
              <dt>{t('auth.role')}</dt>
              <dd>{t(`role.${session.role}`)}</dd>
            </div>
            {session.enterpriseId && (
              <div>
                <dt>{t('role.enterprise')}</dt>
                <dd>
                  <a href={href(`/enterprise/${session.enterpriseId}`)}>
                    {names[session.enterpriseId] ?? '…'}
                  </a>
                </dd>
              </div>
            )}
            {session.provinceCode && (
              <div>
                <dt>{t('posting.province')}</dt>
                <dd>{provinceName(session.provinceCode)}</dd>
              </div>
            )}
            {session.via === 'developer' && session.expiresAt && (
              <div>
                <dt class="sr-only">{t('auth.expires', { time: '' })}</dt>
                <dd>
                  {t('auth.expires', { time: dateTime(new Date(session.expiresAt * 1000).toISOString()) })}
                </dd>
              </div>
            )}
          </dl>
          <button type="button" class="button" onClick={signOut}>
            {session.via === 'provider' ? t('auth.signOutEverywhere') : t('auth.signOut')}
          </button>
        </section>
      )}
      {(failed || error) && (
        <p class="notice notice-error" role="alert">
          {t('auth.failed', { reason: failed ?? error ?? '' })}
        </p>
      )}
      {provider && !session && (
        <section class="card sign-in" aria-labelledby="sign-in-how">
          <h2 id="sign-in-how">{t('auth.providerTitle')}</h2>
          <p>{t('auth.providerIntro')}</p>
          <p class="actions">
            <button
              type="button"
              class="button button-primary"
              data-testid="sign-in"
              disabled={leaving}
              onClick={start}
            >
              {leaving ? t('app.loading') : t('auth.submit')}
            </button>
            <a class="button" href={href('/register')}>
              {t('auth.register')}
            </a>
          </p>
        </section>
      )}
      {developer ? (
        <DeveloperSignIn route={route} />
      ) : (
        <p class="muted small">
          <a
            href={href(
              '/signin/developer',
              route.query.get('next') ? { next: route.query.get('next') ?? '' } : {},
            )}
          >
            {t('auth.developerLink')}
          </a>
        </p>
      )}
    </>
  );
}

/** Paste a development token (`npm run token`): for developers and scripts' authors, not for people. */
function DeveloperSignIn({ route }: { route: Route }) {
  const { t } = useI18n();
  const { signIn } = useAuth();
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
    location.hash = nextOf(route);
  };

  return (
    <form class="card form" onSubmit={submit} noValidate aria-labelledby="developer-title">
      <h2 id="developer-title">{t('auth.developerTitle')}</h2>
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
      <button type="submit" class="button">
        {t('auth.submitToken')}
      </button>
    </form>
  );
}
