import { useState } from 'preact/hooks';
import { PageTitle } from '../components/ui';
import { useAuth } from '../lib/auth';
import { useI18n } from '../lib/i18n';
import { beginSignIn } from '../lib/oidc';
import { href } from '../lib/router';

/**
 * Sign-up of a new establishment happens on the identity provider's page (tax code checked, the firm
 * created unverified, its province's officers verify it). This page says what to have ready and leads there.
 */
export function RegisterPage() {
  const { t } = useI18n();
  const { provider, session } = useAuth();
  const [leaving, setLeaving] = useState(false);
  const [error, setError] = useState<string>();
  const go = () => {
    setLeaving(true);
    beginSignIn('/my/postings').catch((e: unknown) => {
      setLeaving(false);
      setError(e instanceof Error ? e.message : String(e));
    });
  };
  return (
    <>
      <PageTitle>{t('register.title')}</PageTitle>
      <section class="card">
        <p>{t('register.intro')}</p>
        <ul class="checklist">
          <li>{t('register.taxCode')}</li>
          <li>{t('register.kind')}</li>
          <li>{t('register.vsic')}</li>
          <li>{t('register.contact')}</li>
          <li>{t('register.password')}</li>
        </ul>
        <p>{t('register.after')}</p>
        <p>{t('register.nextStep')}</p>
        {error && (
          <p class="notice notice-error" role="alert">
            {t('auth.failed', { reason: error })}
          </p>
        )}
        {session ? (
          <p>{t('register.signedIn')}</p>
        ) : provider ? (
          <p class="actions">
            <button
              type="button"
              class="button button-primary"
              data-testid="register"
              disabled={leaving}
              onClick={go}
            >
              {leaving ? t('app.loading') : t('register.start')}
            </button>
            <a href={href('/signin')}>{t('register.haveAccount')}</a>
          </p>
        ) : (
          <p>{t('register.noProvider')}</p>
        )}
      </section>
    </>
  );
}
