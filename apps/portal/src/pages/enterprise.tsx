import { PostingCard } from '../components/posting-card';
import { ErrorNotice, Loading, PageTitle } from '../components/ui';
import { answer, client } from '../lib/api';
import { enumLabel, useI18n } from '../lib/i18n';
import { useLoad } from '../lib/load';
import { provinceName, regionName, vsicName } from '../lib/reference';
import { href, type Route } from '../lib/router';
import type { Enterprise, Posting, SearchPostingsResponse } from '../lib/types';

async function loadEnterprise(id: string, signal: AbortSignal) {
  const [enterprise, needs, capabilities] = await Promise.all([
    answer(
      client.GET('/v1/enterprises/{enterpriseId}', { params: { path: { enterpriseId: id } }, signal }),
    ).then(
      // A missing enterprise is a 404, thrown.
      (r) => r?.enterprise as Enterprise,
    ),
    answer(
      client.GET('/v1/postings', {
        params: { query: { kind: 'need', enterprise_id: id, page_size: 50 } },
        signal,
      }),
    ) as Promise<SearchPostingsResponse>,
    answer(
      client.GET('/v1/postings', {
        params: { query: { kind: 'capability', enterprise_id: id, page_size: 50 } },
        signal,
      }),
    ) as Promise<SearchPostingsResponse>,
  ]);
  return { enterprise, postings: [...(needs.postings ?? []), ...(capabilities.postings ?? [])] as Posting[] };
}

export function EnterprisePage({ route }: { route: Route }) {
  const { t, lang } = useI18n();
  const id = route.segments[1] ?? '';
  const loaded = useLoad((signal) => loadEnterprise(id, signal), [id]);
  if (loaded.error) return <ErrorNotice error={loaded.error} retry={loaded.reload} />;
  if (!loaded.data) return <Loading />;
  const { enterprise: e, postings } = loaded.data;
  const verified = e.verification?.status === 'VERIFICATION_STATUS_VERIFIED';
  const province = e.province?.code;
  return (
    <>
      <p class="eyebrow">{t('enterprise.title')}</p>
      <PageTitle>{e.name}</PageTitle>
      <p class="badges">
        <span class={`badge ${verified ? 'badge-ok' : 'badge-muted'}`}>
          {verified ? t('enterprise.verified') : t('enterprise.unverified')}
        </span>
        {e.leadFirm && <span class="badge badge-lead">{t('enterprise.leadFirm')}</span>}
        {e.supportingIndustry && <span class="badge">{t('enterprise.supporting')}</span>}
      </p>
      <section class="card" aria-label={t('enterprise.title')}>
        <dl class="facts facts-grid">
          <div>
            <dt>{t('enterprise.kind')}</dt>
            <dd>{enumLabel(t, 'kind', e.kind)}</dd>
          </div>
          {e.taxCode && (
            <div>
              <dt>{t('enterprise.taxCode')}</dt>
              <dd>{e.taxCode}</dd>
            </div>
          )}
          <div>
            <dt>{t('enterprise.province')}</dt>
            <dd>
              {province ? <a href={href(`/province/${province}`)}>{provinceName(province)}</a> : '—'}
              {e.region ? ` · ${regionName(e.region, lang)}` : ''}
            </dd>
          </div>
          {e.address && (
            <div>
              <dt>{t('enterprise.address')}</dt>
              <dd>{e.address}</dd>
            </div>
          )}
          {e.primaryVsic && (
            <div>
              <dt>{t('enterprise.vsic')}</dt>
              <dd>{vsicName(e.primaryVsic.slice(0, 2), lang)}</dd>
            </div>
          )}
          {e.sizeBand && (
            <div>
              <dt>{t('enterprise.size')}</dt>
              <dd>{enumLabel(t, 'size', e.sizeBand)}</dd>
            </div>
          )}
          {(e.recognitions ?? []).length > 0 && (
            <div>
              <dt>{t('enterprise.recognitions')}</dt>
              <dd>
                {(e.recognitions ?? [])
                  .map((r) => [r.kind, r.level, r.product, r.year].filter(Boolean).join(' '))
                  .join('; ')}
              </dd>
            </div>
          )}
        </dl>
      </section>
      <section aria-labelledby="enterprise-postings">
        <h2 id="enterprise-postings">{t('enterprise.postings')}</h2>
        {postings.length === 0 ? (
          <p>{t('enterprise.none')}</p>
        ) : (
          <ul class="cards">
            {postings.map((posting) => {
              const item = posting.need ?? posting.capability;
              return (
                <li key={item.id}>
                  <PostingCard posting={posting} enterpriseName={e.name} />
                </li>
              );
            })}
          </ul>
        )}
      </section>
    </>
  );
}
