import type { operations } from '@lienket/api-client';
import { useEffect, useState } from 'preact/hooks';
import { codesOf, ErrorNotice, Field, Loading, Notice, Pager, PageTitle } from '../components/ui';
import { answer, client, type Query } from '../lib/api';
import { useAuth } from '../lib/auth';
import { useEnterpriseNames } from '../lib/enterprises';
import { enumLabel, useI18n } from '../lib/i18n';
import { useLoad } from '../lib/load';
import { provinceName, regionName, regions } from '../lib/reference';
import { href, navigate, type Route } from '../lib/router';
import type { Interest, ListInterestsResponse, Offer, SearchOffersResponse } from '../lib/types';

const MODES = ['licence', 'sale', 'joint_venture', 'training_consulting', 'equipment_supply'] as const;

interface OfferFilters {
  text: string;
  mode: string[];
  cleaner: boolean;
  pollution: boolean;
  minTrl: string;
  region: string;
  page: string;
}

function filtersOf(route: Route): OfferFilters {
  const q = route.query;
  return {
    text: q.get('text') ?? '',
    mode: (q.get('mode') ?? '').split(',').filter(Boolean),
    cleaner: q.get('cleaner') === '1',
    pollution: q.get('pollution') === '1',
    minTrl: q.get('trl') ?? '',
    region: q.get('region') ?? '',
    page: q.get('page') ?? '',
  };
}

type OfferQuery = NonNullable<operations['searchOffers']['parameters']['query']>;

const toQuery = (f: OfferFilters): Query => ({
  text: f.text,
  mode: f.mode.join(','),
  cleaner: f.cleaner ? '1' : '',
  pollution: f.pollution ? '1' : '',
  trl: f.minTrl,
  region: f.region,
  page: f.page,
});

function Tabs({ current }: { current: 'market' | 'interests' }) {
  const { t } = useI18n();
  const { session } = useAuth();
  return (
    <nav class="tabs" aria-label={t('tech.title')}>
      <a href={href('/tech')} aria-current={current === 'market' ? 'page' : undefined}>
        {t('tech.market')}
      </a>
      {session?.role === 'enterprise' && (
        <a href={href('/tech/interests')} aria-current={current === 'interests' ? 'page' : undefined}>
          {t('tech.myInterests')}
        </a>
      )}
    </nav>
  );
}

function OfferSummary({ offer, owner }: { offer: Offer; owner?: string | undefined }) {
  const { t, lang } = useI18n();
  return (
    <dl class="facts">
      {offer.readinessLevel ? (
        <div>
          <dt class="sr-only">TRL</dt>
          <dd>
            <span class="badge">{t('tech.trl', { n: offer.readinessLevel })}</span>
            {offer.cleanerProduction && <span class="badge badge-ok">{t('tech.cleaner')}</span>}
            {offer.pollutionTreatment && <span class="badge badge-ok">{t('tech.pollution')}</span>}
          </dd>
        </div>
      ) : null}
      <div>
        <dt>{t('tech.owner')}</dt>
        <dd>
          {offer.anonymous || !offer.ownerEnterpriseId ? (
            t('tech.anonymous')
          ) : (
            <a href={href(`/enterprise/${offer.ownerEnterpriseId}`)}>{owner ?? '…'}</a>
          )}
          {offer.ownerProvince ? ` · ${provinceName(offer.ownerProvince)}` : ''}
          {offer.ownerRegion ? ` · ${regionName(offer.ownerRegion, lang)}` : ''}
        </dd>
      </div>
      {(offer.transferModes ?? []).length > 0 && (
        <div>
          <dt>{t('tech.mode')}</dt>
          <dd>
            {(offer.transferModes ?? []).map((m) => enumLabel(t, 'mode', m, 'TRANSFER_MODE_')).join(', ')}
          </dd>
        </div>
      )}
      {codesOf(offer).length > 0 && (
        <div>
          <dt>{t('posting.codes')}</dt>
          <dd>{codesOf(offer).join(', ')}</dd>
        </div>
      )}
    </dl>
  );
}

function Market({ route }: { route: Route }) {
  const { t, lang } = useI18n();
  const filters = filtersOf(route);
  const [draft, setDraft] = useState(filters);
  const [previous, setPrevious] = useState<string[]>([]);
  const key = JSON.stringify(toQuery(filters));
  useEffect(() => setDraft(filters), [key]);
  const loaded = useLoad(
    (signal) =>
      answer(
        client.GET('/v1/tech/offers', {
          params: {
            query: {
              text: filters.text.trim(),
              // Modes come from the link; the gateway refuses one it does not know.
              mode: filters.mode as OfferQuery['mode'],
              cleaner_production: filters.cleaner || undefined,
              pollution_treatment: filters.pollution || undefined,
              min_trl: filters.minTrl ? Number(filters.minTrl) : undefined,
              owner_region: filters.region ? [filters.region] : undefined,
              page_size: 10,
              page_token: filters.page,
            },
          },
          signal,
        }),
      ) as Promise<SearchOffersResponse | undefined>,
    [key],
  );
  const offers = loaded.data?.offers ?? [];
  const owners = useEnterpriseNames(offers.flatMap((o) => (o.anonymous ? [] : (o.ownerEnterpriseId ?? []))));
  const next = loaded.data?.page?.nextPageToken ?? '';
  const go = (f: OfferFilters) => navigate('/tech', toQuery(f));
  return (
    <div class="with-sidebar">
      <form
        class="filters"
        aria-labelledby="tech-filters"
        onSubmit={(e) => {
          e.preventDefault();
          setPrevious([]);
          go({ ...draft, page: '' });
        }}
      >
        <h2 id="tech-filters">{t('tech.filters')}</h2>
        <Field label={t('tech.text')}>
          {({ id }) => (
            <input
              id={id}
              type="search"
              value={draft.text}
              maxLength={200}
              onInput={(e) => setDraft({ ...draft, text: e.currentTarget.value })}
            />
          )}
        </Field>
        <fieldset class="facet">
          <legend>{t('tech.mode')}</legend>
          {MODES.map((mode) => (
            <label class="facet-option" key={mode}>
              <input
                type="checkbox"
                checked={draft.mode.includes(mode)}
                onChange={(e) =>
                  setDraft({
                    ...draft,
                    mode: e.currentTarget.checked
                      ? [...draft.mode, mode]
                      : draft.mode.filter((m) => m !== mode),
                  })
                }
              />
              <span class="facet-label">{enumLabel(t, 'mode', mode)}</span>
            </label>
          ))}
        </fieldset>
        <label class="check">
          <input
            type="checkbox"
            checked={draft.cleaner}
            onChange={(e) => setDraft({ ...draft, cleaner: e.currentTarget.checked })}
          />
          {t('tech.cleaner')}
        </label>
        <label class="check">
          <input
            type="checkbox"
            checked={draft.pollution}
            onChange={(e) => setDraft({ ...draft, pollution: e.currentTarget.checked })}
          />
          {t('tech.pollution')}
        </label>
        <Field label={t('tech.minTrl')}>
          {({ id }) => (
            <select
              id={id}
              value={draft.minTrl}
              onChange={(e) => setDraft({ ...draft, minTrl: e.currentTarget.value })}
            >
              <option value="">{t('tech.anyTrl')}</option>
              {[1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => (
                <option key={n} value={String(n)}>
                  {n}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label={t('tech.region')}>
          {({ id }) => (
            <select
              id={id}
              value={draft.region}
              onChange={(e) => setDraft({ ...draft, region: e.currentTarget.value })}
            >
              <option value="">{t('common.all')}</option>
              {regions.map((r) => (
                <option key={r.code} value={r.code}>
                  {regionName(r.code, lang)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <button type="submit" class="button button-primary">
          {t('tech.submit')}
        </button>
      </form>
      <section class="results" aria-label={t('tech.market')} aria-busy={loaded.loading}>
        {loaded.error ? <ErrorNotice error={loaded.error} retry={loaded.reload} /> : null}
        {!loaded.data && loaded.loading && <Loading />}
        {loaded.data && offers.length === 0 && <p>{t('tech.none')}</p>}
        <ul class="cards">
          {offers.map((offer) => (
            <li key={offer.id}>
              <article class="card" aria-labelledby={`offer-${offer.id}`}>
                <h3 id={`offer-${offer.id}`}>
                  <a href={href(`/tech/offer/${offer.id}`)}>{offer.title}</a>
                </h3>
                {offer.summary && <p class="description">{offer.summary}</p>}
                <OfferSummary
                  offer={offer}
                  owner={offer.ownerEnterpriseId ? owners[offer.ownerEnterpriseId] : undefined}
                />
              </article>
            </li>
          ))}
        </ul>
        <Pager
          page={previous.length + 1}
          hasPrevious={previous.length > 0}
          hasNext={Boolean(next)}
          onPrevious={() => {
            setPrevious(previous.slice(0, -1));
            go({ ...filters, page: previous[previous.length - 1] ?? '' });
          }}
          onNext={() => {
            setPrevious([...previous, filters.page]);
            go({ ...filters, page: next });
          }}
        />
      </section>
    </div>
  );
}

function OfferDetail({ id }: { id: string }) {
  const { t, date } = useI18n();
  const { session } = useAuth();
  const [message, setMessage] = useState('');
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<unknown>();
  const loaded = useLoad(
    (signal) =>
      answer(client.GET('/v1/tech/offers/{offerId}', { params: { path: { offerId: id } }, signal })).then(
        (r) => r?.offer as Offer | undefined,
      ),
    [id],
  );
  const owners = useEnterpriseNames(loaded.data?.ownerEnterpriseId ? [loaded.data.ownerEnterpriseId] : []);
  if (loaded.error) return <ErrorNotice error={loaded.error} retry={loaded.reload} />;
  const offer = loaded.data;
  if (!offer) return <Loading />;
  const express = async (e: Event) => {
    e.preventDefault();
    setError(undefined);
    try {
      await answer(
        client.POST('/v1/tech/interests', {
          body: { offerId: offer.id, enterpriseId: session?.enterpriseId ?? '', message: message.trim() },
        }),
      );
      setSent(true);
    } catch (caught) {
      setError(caught);
    }
  };
  return (
    <article class="card" aria-labelledby="offer-title">
      <p class="eyebrow">{t('tech.detail')}</p>
      <h2 id="offer-title">{offer.title}</h2>
      {offer.summary && <p>{offer.summary}</p>}
      <OfferSummary
        offer={offer}
        owner={offer.ownerEnterpriseId ? owners[offer.ownerEnterpriseId] : undefined}
      />
      {(offer.keywords ?? []).length > 0 && (
        <p>
          {t('tech.keywords')}: {(offer.keywords ?? []).join(', ')}
        </p>
      )}
      {offer.validUntil && <p class="muted">{t('posting.validUntil', { date: date(offer.validUntil) })}</p>}
      <h3>{t('tech.interest')}</h3>
      {sent ? (
        <Notice kind="ok">{t('tech.interestSent')}</Notice>
      ) : session?.role === 'enterprise' ? (
        <form class="form" onSubmit={express}>
          {error ? <ErrorNotice error={error} /> : null}
          <Field label={t('tech.interestMessage')}>
            {({ id: fieldId }) => (
              <textarea
                id={fieldId}
                rows={3}
                maxLength={2000}
                value={message}
                onInput={(e) => setMessage(e.currentTarget.value)}
              />
            )}
          </Field>
          <button type="submit" class="button button-primary">
            {t('tech.interestSend')}
          </button>
        </form>
      ) : (
        <p>{t('tech.interestEnterprise')}</p>
      )}
      <p>
        <a href={href('/tech')}>{t('tech.back')}</a>
      </p>
    </article>
  );
}

function MyInterests() {
  const { t, date } = useI18n();
  const loaded = useLoad(
    (signal) =>
      answer(client.GET('/v1/tech/interests', { params: { query: { page_size: 50 } }, signal })) as Promise<
        ListInterestsResponse | undefined
      >,
    [],
  );
  if (loaded.error) return <ErrorNotice error={loaded.error} retry={loaded.reload} />;
  if (!loaded.data) return <Loading />;
  const interests: Interest[] = loaded.data.interests ?? [];
  if (interests.length === 0) return <p>{t('tech.noInterests')}</p>;
  return (
    <ul class="cards">
      {interests.map((i) => (
        <li key={i.id}>
          <article class="card" aria-labelledby={`interest-${i.id}`}>
            <p class="badges">
              <span class="badge">{enumLabel(t, 'istatus', i.status)}</span>
            </p>
            <h3 id={`interest-${i.id}`}>
              <a href={href(`/tech/offer/${i.offerId}`)}>{i.offerTitle || i.offerId}</a>
            </h3>
            {i.message && <p>{i.message}</p>}
            <p class="muted">
              {provinceName(i.ownerProvince)} · {date(i.createdAt)}
            </p>
          </article>
        </li>
      ))}
    </ul>
  );
}

export function TechPage({ route }: { route: Route }) {
  const { t } = useI18n();
  const [, second, third] = route.segments;
  const current = second === 'interests' ? 'interests' : 'market';
  return (
    <>
      <PageTitle>{t('tech.title')}</PageTitle>
      <Tabs current={current} />
      {second === 'offer' && third ? (
        <OfferDetail id={third} />
      ) : current === 'interests' ? (
        <MyInterests />
      ) : (
        <Market route={route} />
      )}
    </>
  );
}
