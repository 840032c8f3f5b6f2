import { ErrorNotice, Loading, PageTitle } from '../components/ui';
import { answer, client } from '../lib/api';
import { useAuth } from '../lib/auth';
import { useI18n } from '../lib/i18n';
import { useLoad } from '../lib/load';
import {
  formatVnd,
  lineLabel,
  SCHEME_STATUSES,
  type Scheme,
  statusLabel,
  statusOf,
  vnd,
} from '../lib/programme';
import { provinceName } from '../lib/reference';
import { href, type Route } from '../lib/router';

/**
 * The programme's schemes: an establishment's own (with the way to propose one), a province centre's
 * queue (awaiting appraisal first), the ministry's every province. The service scopes the list by role.
 */
export function ProgrammeSchemesPage({ route }: { route: Route }) {
  const { t, lang, number } = useI18n();
  const { session } = useAuth();
  const role = session?.role;
  const officer = role === 'province';
  const fallback = role === 'enterprise' ? '' : 'proposed';
  const status = route.query.get('status') ?? fallback;
  // An officer's queue opens on what awaits appraisal; `all` shows every status.
  const wanted = status === 'all' ? '' : status;
  const loaded = useLoad(
    async (signal) =>
      (await answer(
        client.GET('/v1/programme/schemes', {
          params: {
            query: { status: wanted ? [wanted as (typeof SCHEME_STATUSES)[number]] : [], page_size: 50 },
          },
          signal,
        }),
      )) as { schemes?: Scheme[] },
    [status],
  );
  const schemes = loaded.data?.schemes ?? [];
  const money = (n: number) => formatVnd(n, lang, number);
  const intro =
    role === 'enterprise'
      ? t('prog.intro.enterprise')
      : officer
        ? t('prog.intro.officer', { province: provinceName(session?.provinceCode ?? '') })
        : t('prog.intro.admin');

  return (
    <>
      <PageTitle>{t('prog.title')}</PageTitle>
      <p class="lead">{intro}</p>
      <p class="actions">
        {role === 'enterprise' && (
          <a class="button button-primary" href={href('/programme/propose')}>
            {t('prog.propose')}
          </a>
        )}
        <a class="button" href={href('/programme/sites')}>
          {t('prog.sites')}
        </a>
      </p>
      <nav class="tabs" aria-label={t('prog.filter.status')}>
        {['', ...SCHEME_STATUSES.slice(0, 4), 'rejected'].map((s) => (
          <a
            key={s || 'all'}
            class="tab"
            href={href('/programme', { status: s || (fallback ? 'all' : '') })}
            aria-current={wanted === s ? 'page' : undefined}
          >
            {s ? t(`prog.status.${s}` as 'prog.status.proposed') : t('prog.filter.all')}
          </a>
        ))}
      </nav>
      {loaded.error ? (
        <ErrorNotice error={loaded.error} retry={loaded.reload} />
      ) : loaded.loading && !loaded.data ? (
        <Loading />
      ) : schemes.length === 0 ? (
        <p class="muted">{t('prog.none')}</p>
      ) : (
        <ul class="cards" aria-label={t('prog.list')} data-testid="scheme-list">
          {schemes.map((s) => (
            <li key={s.schemeId} class="card">
              <h2 class="firm-name">
                <a href={href(`/programme/scheme/${s.schemeId}`)}>{s.title}</a>
              </h2>
              <p class="badges">
                <span class={`badge badge-status-${statusOf(s.status)}`}>{statusLabel(t, s.status)}</span>
                <span class="badge badge-muted">{lineLabel(t, s.line)}</span>
              </p>
              <dl class="facts-inline">
                <div>
                  <dt>{t('prog.col.cost')}</dt>
                  <dd>{money(vnd(s.funding?.cost))}</dd>
                </div>
                <div>
                  <dt>{t('prog.col.state')}</dt>
                  <dd>{money(vnd(s.funding?.state))}</dd>
                </div>
                {!officer && s.province && (
                  <div>
                    <dt>{t('prog.site.province')}</dt>
                    <dd>{provinceName(s.province)}</dd>
                  </div>
                )}
              </dl>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
