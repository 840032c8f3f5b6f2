import type { Schemas } from '@lienket/api-client';
import { answer, client } from '../lib/api';
import type { Session } from '../lib/auth';
import { downloadCsv } from '../lib/csv';
import { useEnterpriseNames } from '../lib/enterprises';
import { enumLabel, useI18n } from '../lib/i18n';
import { useLoad } from '../lib/load';
import { href } from '../lib/router';
import { type ListProposalsResponse, type Need, num, type SearchPostingsResponse } from '../lib/types';
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

type UnmetRow = Schemas['lienket.insights.v1.UnmetDemandRow'];

/** The province's unmet demand by HS chapter and by VSIC division, from the same read model as its count. */
async function loadSectors(code: string, signal: AbortSignal) {
  const by = (dimension: 'hs_chapter' | 'vsic_division') =>
    answer(
      client.GET('/v1/insights/unmet-demand', { params: { query: { province: code, dimension } }, signal }),
    ).then((r) =>
      ((r as Schemas['lienket.insights.v1.GetUnmetDemandResponse'] | undefined)?.rows ?? []).filter(
        (row: UnmetRow) => num(row.unmetNeeds) > 0,
      ),
    );
  const [hs, vsic] = await Promise.all([by('hs_chapter'), by('vsic_division')]);
  return { hs, vsic };
}

const csvHref = (code: string, dimension: string) =>
  `/v1/insights/unmet-demand?${new URLSearchParams({ province: code, dimension, format: 'csv' })}`;

/** One scheme's rows: the sector, the needs reported unmet, and by which reason. */
function SectorTable({
  caption,
  rows,
  csv,
  testId,
}: {
  caption: string;
  rows: UnmetRow[];
  csv: string;
  testId: string;
}) {
  const { t, lang, number } = useI18n();
  return (
    <>
      <ScrollRegion label={caption}>
        <table class="sectors" data-testid={testId}>
          <caption>{caption}</caption>
          <thead>
            <tr>
              <th scope="col">{t('unmet.sector')}</th>
              <th scope="col" class="num">
                {t('unmet.needs')}
              </th>
              <th scope="col" class="num">
                {t('unmet.noMatch')}
              </th>
              <th scope="col" class="num">
                {t('unmet.expired')}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key} data-sector={r.key}>
                <th scope="row">
                  {r.key} · {(lang === 'vi' ? r.nameVi : r.name) || r.name}
                </th>
                <td class="num">{number(num(r.unmetNeeds))}</td>
                <td class="num">{number(num(r.noMatchAboveThreshold))}</td>
                <td class="num">{number(num(r.expiredUnmatched))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
      <p>
        <a class="button" href={csv} download>
          {t('csv.download')}
        </a>
      </p>
    </>
  );
}

/** The unmet needs behind the province page's count, with their breakdown by sector; both export as CSV. */
export function UnmetNeeds({ code, session }: { code: string; session: Session | undefined }) {
  const { t, number } = useI18n();
  const sees = session?.role === 'admin' || (session?.role === 'province' && session.provinceCode === code);
  const sectors = useLoad((signal) => loadSectors(code, signal), [code]);
  const loaded = useLoad(
    (signal) => (sees ? loadUnmetNeeds(code, signal) : Promise.resolve(undefined)),
    [code, sees, session?.token],
  );
  const needs = loaded.data;
  const names = useEnterpriseNames(needs?.map((n) => n.enterpriseId) ?? []);
  const codes = (n: Need) => [
    ...(n.hsCodes ?? []).map((c) => `HS ${c}`),
    ...(n.vsicCodes ?? []).map((c) => `VSIC ${c}`),
  ];
  return (
    <div data-testid="unmet-needs">
      <h3>{t('unmet.bySector')}</h3>
      {sectors.error ? <ErrorNotice error={sectors.error} retry={sectors.reload} /> : null}
      {!sectors.data ? (
        sectors.loading && <Loading />
      ) : sectors.data.hs.length + sectors.data.vsic.length === 0 ? (
        <p>{t('unmet.noneReported')}</p>
      ) : (
        <div class="two-columns">
          <div>
            <SectorTable
              caption={t('unmet.hsChapter')}
              rows={sectors.data.hs}
              csv={csvHref(code, 'hs_chapter')}
              testId="unmet-hs"
            />
          </div>
          <div>
            <SectorTable
              caption={t('unmet.vsicDivision')}
              rows={sectors.data.vsic}
              csv={csvHref(code, 'vsic_division')}
              testId="unmet-vsic"
            />
          </div>
        </div>
      )}
      <h3>{t('unmet.heading')}</h3>
      {!sees ? (
        <p>{t('unmet.restricted')}</p>
      ) : loaded.error ? (
        <ErrorNotice error={loaded.error} retry={loaded.reload} />
      ) : !needs ? (
        <Loading />
      ) : (
        <div data-testid="unmet-list" data-count={needs.length}>
          <p>{t('unmet.count', { n: number(needs.length) })}</p>
          {needs.length > 0 && (
            <>
              <ul class="unmet-list">
                {needs.map((n) => (
                  <li key={n.id} data-need={n.id}>
                    <a href={href('/search', { q: n.title, kind: 'need', province: code })}>{n.title}</a>
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
              <p>
                <button
                  type="button"
                  class="button"
                  onClick={() =>
                    downloadCsv(
                      `nhu-cau-chua-co-de-xuat-${code}.csv`,
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
            </>
          )}
        </div>
      )}
    </div>
  );
}
