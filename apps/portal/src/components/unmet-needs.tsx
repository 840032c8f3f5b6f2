import { findHsChapter, findVsicDivision, vsicSections } from '@lienket/reference';
import { answer, client } from '../lib/api';
import type { Session } from '../lib/auth';
import { downloadCsv } from '../lib/csv';
import { useEnterpriseNames } from '../lib/enterprises';
import { enumLabel, type Lang, useI18n } from '../lib/i18n';
import { useLoad } from '../lib/load';
import { href } from '../lib/router';
import type { ListProposalsResponse, Need, SearchPostingsResponse } from '../lib/types';
import { ErrorNotice, Loading, ScrollRegion } from './ui';

/** Every page of a listing, bounded: a province's open needs, not the whole register. */
async function allPages<T>(
  fetchPage: (token: string) => Promise<{ items: T[]; next: string }>,
  maxPages = 20,
) {
  const items: T[] = [];
  let token = '';
  for (let page = 0; page < maxPages; page += 1) {
    const result = await fetchPage(token);
    items.push(...result.items);
    if (!result.next) break;
    token = result.next;
  }
  return items;
}

/** The province's open needs that no proposal names: nothing fitted them above the threshold (yet). */
export async function loadUnmetNeeds(code: string, signal: AbortSignal): Promise<Need[]> {
  const [needs, proposals] = await Promise.all([
    allPages(async (token) => {
      const page = (await answer(
        client.GET('/v1/postings', {
          params: { query: { kind: 'need', province: [code], page_size: 100, page_token: token } },
          signal,
        }),
      )) as SearchPostingsResponse | undefined;
      return {
        items: (page?.postings ?? []).flatMap((p) => (p.need ? [p.need] : [])),
        next: page?.page?.nextPageToken ?? '',
      };
    }),
    allPages(async (token) => {
      const page = (await answer(
        client.GET('/v1/proposals', {
          params: { query: { province_code: code, page_size: 100, page_token: token } },
          signal,
        }),
      )) as ListProposalsResponse | undefined;
      return { items: page?.proposals ?? [], next: page?.page?.nextPageToken ?? '' };
    }),
  ]);
  const proposed = new Set(proposals.map((p) => p.needId));
  return needs.filter((n) => !proposed.has(n.id));
}

export interface SectorRow {
  scheme: 'HS' | 'VSIC';
  code: string;
  name: string;
  count: number;
}

/**
 * Needs by HS chapter and by VSIC section; a need with codes in two chapters (sections) counts in each,
 * so the rows of one scheme may add up to more than the needs.
 */
export function sectorsOf(needs: readonly Need[], lang: Lang): SectorRow[] {
  const rows = new Map<string, SectorRow>();
  const add = (scheme: SectorRow['scheme'], code: string, name: string, seen: Set<string>) => {
    const key = `${scheme}:${code}`;
    if (seen.has(key)) return;
    seen.add(key);
    const row = rows.get(key) ?? { scheme, code, name, count: 0 };
    row.count += 1;
    rows.set(key, row);
  };
  for (const need of needs) {
    const seen = new Set<string>();
    for (const hs of need.hsCodes ?? []) {
      const chapter = findHsChapter(hs.slice(0, 2));
      add('HS', hs.slice(0, 2), chapter ? (lang === 'vi' ? chapter.nameVi : chapter.name) : '', seen);
    }
    for (const vsic of need.vsicCodes ?? []) {
      const section = vsicSections.find((s) => s.code === findVsicDivision(vsic.slice(0, 2))?.section);
      if (section) add('VSIC', section.code, lang === 'vi' ? section.nameVi : section.name, seen);
    }
  }
  return [...rows.values()].sort(
    (a, b) => a.scheme.localeCompare(b.scheme) || b.count - a.count || a.code.localeCompare(b.code),
  );
}

/** The unmet needs behind the province page's count, with their breakdown by sector; both export as CSV. */
export function UnmetNeeds({ code, session }: { code: string; session: Session | undefined }) {
  const { t, lang, number } = useI18n();
  const sees = session?.role === 'admin' || (session?.role === 'province' && session.provinceCode === code);
  const loaded = useLoad(
    (signal) => (sees ? loadUnmetNeeds(code, signal) : Promise.resolve(undefined)),
    [code, sees, session?.token],
  );
  const needs = loaded.data;
  const names = useEnterpriseNames(needs?.map((n) => n.enterpriseId) ?? []);
  if (!sees) return <p>{t('unmet.restricted')}</p>;
  if (loaded.error) return <ErrorNotice error={loaded.error} retry={loaded.reload} />;
  if (!needs) return <Loading />;
  const sectors = sectorsOf(needs, lang);
  const codes = (n: Need) => [
    ...(n.hsCodes ?? []).map((c) => `HS ${c}`),
    ...(n.vsicCodes ?? []).map((c) => `VSIC ${c}`),
  ];
  return (
    <div data-testid="unmet-needs" data-count={needs.length}>
      <p>{t('unmet.count', { n: number(needs.length) })}</p>
      {needs.length > 0 && (
        <>
          <ScrollRegion label={t('unmet.bySector')}>
            <table class="sectors">
              <caption>{t('unmet.bySector')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('unmet.scheme')}</th>
                  <th scope="col">{t('unmet.sector')}</th>
                  <th scope="col" class="num">
                    {t('unmet.needs')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {sectors.map((s) => (
                  <tr key={`${s.scheme}:${s.code}`} data-sector={`${s.scheme}:${s.code}`}>
                    <td>{s.scheme === 'HS' ? t('unmet.hsChapter') : t('unmet.vsicSection')}</td>
                    <th scope="row">
                      {s.code} · {s.name}
                    </th>
                    <td class="num">{number(s.count)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
          <p class="actions">
            <button
              type="button"
              class="button"
              onClick={() =>
                downloadCsv(
                  `nhu-cau-chua-dap-ung-nganh-${code}.csv`,
                  [t('unmet.scheme'), t('unmet.code'), t('unmet.sector'), t('unmet.needs')],
                  sectors.map((s) => [s.scheme, s.code, s.name, s.count]),
                )
              }
            >
              {t('unmet.exportSectors')}
            </button>
            <button
              type="button"
              class="button"
              onClick={() =>
                downloadCsv(
                  `nhu-cau-chua-dap-ung-${code}.csv`,
                  ['id', t('unmet.title'), t('unmet.enterprise'), t('unmet.category'), t('unmet.codes')],
                  needs.map((n) => [
                    n.id,
                    n.title,
                    names[n.enterpriseId] ?? n.enterpriseId,
                    n.category ? enumLabel(t, 'category', n.category, 'NEED_CATEGORY_') : '',
                    codes(n).join(' '),
                  ]),
                )
              }
            >
              {t('unmet.exportNeeds')}
            </button>
          </p>
          <ul class="unmet-list">
            {needs.map((n) => (
              <li key={n.id} data-need={n.id}>
                <a href={href(`/search`, { q: n.title, kind: 'need', province: code })}>{n.title}</a>
                <span class="muted">
                  {' · '}
                  {names[n.enterpriseId] ? (
                    <a href={href(`/enterprise/${n.enterpriseId}`)}>{names[n.enterpriseId]}</a>
                  ) : (
                    '…'
                  )}
                  {codes(n).length > 0 && ` · ${codes(n).join(', ')}`}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
