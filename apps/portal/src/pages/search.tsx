import type { operations } from '@lienket/api-client';
import { useEffect, useState } from 'preact/hooks';
import { PostingCard } from '../components/posting-card';
import { ErrorNotice, Loading, Pager, PageTitle } from '../components/ui';
import { answer, client, type Query } from '../lib/api';
import { useEnterpriseNames } from '../lib/enterprises';
import { enumLabel, type Translate, useI18n } from '../lib/i18n';
import { useLoad } from '../lib/load';
import { hsName, provinceName, regionName, vsicName } from '../lib/reference';
import { navigate, type Route } from '../lib/router';
import { type Facet, num, type SearchPostingsResponse } from '../lib/types';

const PAGE_SIZE = 10;
const SHOWN = 6;

type Kind = 'need' | 'capability';

/** The search as it stands in the address (so it can be shared and the back button works). */
interface Filters {
  kind: Kind;
  text: string;
  province: string[];
  region: string[];
  category: string[];
  vsic: string;
  hs: string;
  page: string;
}

type Dimension = 'province' | 'region' | 'category' | 'vsic' | 'hs';
type PostingQuery = NonNullable<operations['searchPostings']['parameters']['query']>;

const facetOf: Record<Dimension, NonNullable<PostingQuery['facet']>[number]> = {
  province: 'province',
  region: 'region',
  category: 'category',
  vsic: 'vsic_division',
  hs: 'hs_chapter',
};

function filtersOf(route: Route): Filters {
  const q = route.query;
  const list = (name: string) =>
    q
      .getAll(name)
      .flatMap((v) => v.split(','))
      .filter(Boolean);
  const kind = q.get('kind') === 'capability' ? 'capability' : 'need';
  return {
    kind,
    text: q.get('text') ?? '',
    province: list('province'),
    region: list('region'),
    category: kind === 'need' ? list('category') : [],
    vsic: q.get('vsic') ?? '',
    hs: q.get('hs') ?? '',
    page: q.get('page') ?? '',
  };
}

const toQuery = (f: Filters): Query => ({
  kind: f.kind,
  text: f.text,
  province: f.province.join(','),
  region: f.region.join(','),
  category: f.category.join(','),
  vsic: f.vsic,
  hs: f.hs,
  page: f.page,
});

/** The API query of a search, without one dimension when its own facet is counted (disjunctive facets). */
function apiQuery(f: Filters, without?: Dimension): PostingQuery {
  return {
    kind: f.kind,
    text: f.text.trim(),
    province: without === 'province' ? undefined : f.province,
    region: without === 'region' ? undefined : f.region,
    // Categories come from the link; the gateway refuses one it does not know.
    category: without === 'category' ? undefined : (f.category as PostingQuery['category']),
    vsic_prefix: without === 'vsic' ? undefined : f.vsic,
    hs_prefix: without === 'hs' ? undefined : f.hs,
  };
}

interface SearchResult {
  response: SearchPostingsResponse;
  facets: Partial<Record<Dimension, Facet>>;
}

async function search(f: Filters, signal: AbortSignal): Promise<SearchResult> {
  const dimensions: Dimension[] =
    f.kind === 'need'
      ? ['province', 'region', 'category', 'vsic', 'hs']
      : ['province', 'region', 'vsic', 'hs'];
  const active = dimensions.filter((d) => (Array.isArray(f[d]) ? f[d].length > 0 : Boolean(f[d])));
  const [response, ...own] = await Promise.all([
    answer(
      client.GET('/v1/postings', {
        params: {
          query: {
            ...apiQuery(f),
            facet: dimensions.filter((d) => !active.includes(d)).map((d) => facetOf[d]),
            page_size: PAGE_SIZE,
            page_token: f.page,
          },
        },
        signal,
      }),
    ) as Promise<SearchPostingsResponse>,
    // A chosen dimension is counted without its own filter, so its other values stay visible and choosable.
    ...active.map(
      (d) =>
        answer(
          client.GET('/v1/postings', {
            params: { query: { ...apiQuery(f, d), facet: [facetOf[d]], page_size: 1 } },
            signal,
          }),
        ) as Promise<SearchPostingsResponse>,
    ),
  ]);
  const facets: Partial<Record<Dimension, Facet>> = {};
  for (const d of dimensions) {
    const source = active.includes(d) ? own[active.indexOf(d)] : response;
    const facet = source?.facets?.find((x) => x.name === facetOf[d]);
    if (facet) facets[d] = facet;
  }
  return { response, facets };
}

function labelOf(d: Dimension, value: string, t: Translate, lang: 'vi' | 'en'): string {
  switch (d) {
    case 'province':
      return provinceName(value);
    case 'region':
      return regionName(value, lang);
    case 'category':
      return enumLabel(t, 'category', value, 'NEED_CATEGORY_');
    case 'vsic':
      return vsicName(value, lang);
    case 'hs':
      return hsName(value, lang);
  }
}

function FacetGroup({
  dimension,
  facet,
  selected,
  multiple,
  onChange,
}: {
  dimension: Dimension;
  facet: Facet | undefined;
  selected: string[];
  multiple: boolean;
  onChange(values: string[]): void;
}) {
  const { t, lang, number } = useI18n();
  const [expanded, setExpanded] = useState(false);
  const counts = new Map((facet?.counts ?? []).map((c) => [c.value ?? '', num(c.count)]));
  for (const value of selected) if (!counts.has(value)) counts.set(value, 0);
  const rows = [...counts.entries()]
    .filter(([value]) => value !== '')
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (rows.length === 0) return null;
  const shown = expanded ? rows : rows.slice(0, SHOWN);
  const legend = t(
    dimension === 'vsic'
      ? 'facet.sector'
      : dimension === 'hs'
        ? 'facet.hs'
        : dimension === 'category'
          ? 'facet.category'
          : dimension === 'region'
            ? 'facet.region'
            : 'facet.province',
  );
  const name = `facet-${dimension}`;
  return (
    <fieldset class="facet" data-facet={dimension}>
      <legend>{legend}</legend>
      {!multiple && (
        <label class="facet-option">
          <input type="radio" name={name} checked={selected.length === 0} onChange={() => onChange([])} />
          <span class="facet-label">{t('facet.any')}</span>
        </label>
      )}
      {shown.map(([value, count]) => {
        const label = labelOf(dimension, value, t, lang);
        const checked = selected.includes(value);
        return (
          <label class="facet-option" key={value} data-value={value}>
            <input
              type={multiple ? 'checkbox' : 'radio'}
              name={name}
              value={value}
              checked={checked}
              onChange={() =>
                onChange(
                  multiple ? (checked ? selected.filter((v) => v !== value) : [...selected, value]) : [value],
                )
              }
            />
            <span class="facet-label">{label}</span>
            <span class="facet-count">{number(count)}</span>
          </label>
        );
      })}
      {rows.length > SHOWN && (
        <button
          type="button"
          class="link-button"
          aria-expanded={expanded}
          onClick={() => setExpanded((e) => !e)}
        >
          {expanded ? t('facet.less') : t('facet.more', { n: rows.length - SHOWN })}
        </button>
      )}
    </fieldset>
  );
}

export function SearchPage({ route }: { route: Route }) {
  const { t, number } = useI18n();
  const filters = filtersOf(route);
  const [text, setText] = useState(filters.text);
  const [previous, setPrevious] = useState<string[]>([]);
  // On a phone the filters fold away above the results; on a wide screen they sit open beside them.
  const [filtersOpen, setFiltersOpen] = useState(() => window.matchMedia('(min-width: 56rem)').matches);
  const key = JSON.stringify(toQuery(filters));
  useEffect(() => setText(filters.text), [filters.text]);
  const result = useLoad((signal) => search(filters, signal), [key]);
  const postings = result.data?.response.postings ?? [];
  const names = useEnterpriseNames(postings.map((p) => (p.need ?? p.capability).enterpriseId));

  const go = (change: Partial<Filters>, keepPage = false) => {
    if (!keepPage) setPrevious([]);
    navigate('/search', toQuery({ ...filters, page: '', ...change }));
  };
  const total = num(result.data?.response.page?.totalSize);
  const next = result.data?.response.page?.nextPageToken ?? '';
  const dimensions: Dimension[] =
    filters.kind === 'need'
      ? ['province', 'region', 'category', 'vsic', 'hs']
      : ['province', 'region', 'vsic', 'hs'];
  const chosen =
    filters.province.length +
    filters.region.length +
    filters.category.length +
    (filters.vsic ? 1 : 0) +
    (filters.hs ? 1 : 0);

  return (
    <>
      <PageTitle>{t('search.title')}</PageTitle>
      <search>
        <form
          class="search-bar"
          onSubmit={(e) => {
            e.preventDefault();
            go({ text });
          }}
        >
          <fieldset class="segmented">
            <legend class="sr-only">{t('search.kind')}</legend>
            {(['need', 'capability'] as const).map((kind) => (
              <label key={kind}>
                <input
                  type="radio"
                  name="kind"
                  value={kind}
                  checked={filters.kind === kind}
                  onChange={() => go({ kind, category: [] })}
                />
                <span>{kind === 'need' ? t('search.needs') : t('search.capabilities')}</span>
              </label>
            ))}
          </fieldset>
          <div class="search-text">
            <label for="search-text">{t('search.text')}</label>
            <div class="inline">
              <input
                id="search-text"
                type="search"
                name="text"
                value={text}
                placeholder={t('search.textHint')}
                maxLength={200}
                onInput={(e) => setText(e.currentTarget.value)}
              />
              <button type="submit" class="button button-primary">
                {t('search.submit')}
              </button>
            </div>
          </div>
        </form>
      </search>
      <div class="with-sidebar">
        <aside aria-labelledby="filters-title">
          <details class="filters" open={filtersOpen} onToggle={(e) => setFiltersOpen(e.currentTarget.open)}>
            <summary>
              <h2 id="filters-title">
                {t('search.filters')}
                {chosen > 0 ? ` (${chosen})` : ''}
              </h2>
            </summary>
            {chosen > 0 && (
              <button
                type="button"
                class="link-button"
                onClick={() => go({ province: [], region: [], category: [], vsic: '', hs: '' })}
              >
                {t('search.clear')}
              </button>
            )}
            {dimensions.map((d) => (
              <FacetGroup
                key={`${filters.kind}-${d}`}
                dimension={d}
                facet={result.data?.facets[d]}
                selected={
                  d === 'vsic'
                    ? filters.vsic
                      ? [filters.vsic]
                      : []
                    : d === 'hs'
                      ? filters.hs
                        ? [filters.hs]
                        : []
                      : filters[d]
                }
                multiple={d !== 'vsic' && d !== 'hs'}
                onChange={(values) =>
                  go(d === 'vsic' || d === 'hs' ? { [d]: values[0] ?? '' } : { [d]: values })
                }
              />
            ))}
          </details>
        </aside>
        <section class="results" aria-labelledby="results-title" aria-busy={result.loading}>
          <h2 id="results-title" class="results-count" aria-live="polite">
            {result.data ? t('search.results', { n: number(total) }) : t('app.loading')}
          </h2>
          {result.error ? <ErrorNotice error={result.error} retry={result.reload} /> : null}
          {!result.data && result.loading && <Loading />}
          {result.data && postings.length === 0 && <p>{t('search.none')}</p>}
          <ul class="cards">
            {postings.map((posting) => {
              const item = posting.need ?? posting.capability;
              return (
                <li key={item.id}>
                  <PostingCard posting={posting} enterpriseName={names[item.enterpriseId]} />
                </li>
              );
            })}
          </ul>
          <Pager
            page={previous.length + 1}
            hasPrevious={previous.length > 0}
            hasNext={Boolean(next)}
            onPrevious={() => {
              const rest = previous.slice(0, -1);
              setPrevious(rest);
              go({ page: previous[previous.length - 1] ?? '' }, true);
            }}
            onNext={() => {
              setPrevious([...previous, filters.page]);
              go({ page: next }, true);
            }}
          />
        </section>
      </div>
    </>
  );
}
