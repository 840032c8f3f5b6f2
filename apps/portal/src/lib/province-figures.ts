import type { Schemas } from '@lienket/api-client';
import { answer, client } from './api';
import type { Session } from './auth';
import {
  type Enterprise,
  type Facet,
  type ListProposalsResponse,
  num,
  type SearchEnterprisesResponse,
  type SearchPostingsResponse,
} from './types';

export interface LinkageCell {
  buyer: string;
  supplier: string;
  count: number;
}

/** What the province page shows, from the insights service when the gateway has it, else from the REST API. */
export interface ProvinceFigures {
  source: 'insights' | 'rest';
  openNeeds: number;
  openCapabilities: number;
  needsByCategory: { value: string; count: number }[];
  enterprises?: number;
  /** Lead firms designated by the province (the register). */
  leadFirms: { id: string; name: string }[];
  /** Firms of the province with the most established linkages (insights). */
  topFirms?: { id: string; name: string; linkages: number; leadFirm: boolean }[];
  /** Open needs nothing fitted (insights), or without an established linkage (REST); undefined when unknown. */
  unmetNeeds?: number;
  funnel?: { proposed: number; accepted: number; established: number };
  tech: {
    offers?: number;
    cleanerOffers?: number;
    interests?: number;
    agreements?: number;
    cleanerAgreements?: number;
  };
  /** Established linkages (buyer province × supplier province); undefined when the caller may not see them. */
  linkages?: { cells: LinkageCell[]; total: number };
}

type OpenApi = { paths?: Record<string, unknown> };
let openApi: Promise<string[]> | undefined;
const documentPaths = () => {
  // The document itself is not one of its paths: a plain read.
  openApi ??= fetch('/openapi.json', { headers: { accept: 'application/json' } })
    .then((r) => (r.ok ? (r.json() as Promise<OpenApi>) : Promise.reject(new Error(`HTTP ${r.status}`))))
    .then(
      (d) => Object.keys(d.paths ?? {}),
      () => {
        openApi = undefined;
        return [];
      },
    );
  return openApi;
};

/** The insights routes the gateway offers (a gateway without the insights service has none). */
async function insightsRoutes() {
  const paths = (await documentPaths()).filter((p) => p.startsWith('/v1/insights/'));
  const summary = paths.find((p) => /\/provinces\/\{[^}]+\}$/.test(p));
  const matrix = paths.find((p) => p === '/v1/insights/linkage-matrix');
  return summary ? { summary, matrix } : undefined;
}

type InsightsSummary = Schemas['lienket.insights.v1.GetProvinceSummaryResponse'];
type InsightsMatrix = Schemas['lienket.insights.v1.GetLinkageMatrixResponse'];

/** The designated lead firms and the needs by category: the register has them, for any source. */
async function fromRegister(code: string, signal: AbortSignal) {
  const [needs, capabilities, enterprises, leadFirms] = await Promise.all([
    answer(
      client.GET('/v1/postings', {
        params: { query: { kind: 'need', province: [code], facet: ['category'], page_size: 1 } },
        signal,
      }),
    ),
    answer(
      client.GET('/v1/postings', {
        params: { query: { kind: 'capability', province: [code], page_size: 1 } },
        signal,
      }),
    ),
    answer(client.GET('/v1/enterprises', { params: { query: { province: [code], page_size: 1 } }, signal })),
    answer(
      client.GET('/v1/enterprises', {
        params: { query: { province: [code], lead_firm: true, page_size: 50 } },
        signal,
      }),
    ) as Promise<SearchEnterprisesResponse | undefined>,
  ]);
  return {
    openNeeds: num(needs?.page?.totalSize),
    openCapabilities: num(capabilities?.page?.totalSize),
    enterprises: num(enterprises?.page?.totalSize),
    needsByCategory: facetRows(needs, 'category'),
    leadFirms: (leadFirms?.enterprises ?? []).map((e: Enterprise) => ({ id: e.id, name: e.name })),
  };
}

async function fromInsights(
  code: string,
  routes: { summary: string; matrix?: string | undefined },
  signal: AbortSignal,
): Promise<ProvinceFigures> {
  const [summary, matrix, register] = await Promise.all([
    // JSON unless format=csv is asked for.
    answer(
      client.GET('/v1/insights/provinces/{province}', { params: { path: { province: code } }, signal }),
    ).then((s) => (s ?? {}) as InsightsSummary),
    routes.matrix
      ? (answer(client.GET('/v1/insights/linkage-matrix', { signal })) as Promise<InsightsMatrix | undefined>)
      : Promise.resolve(undefined),
    fromRegister(code, signal),
  ]);
  // The whole country's matrix when the gateway has it, else the province's own partners.
  const cells: LinkageCell[] = matrix?.rows
    ? matrix.rows.map((r) => ({
        buyer: r.buyerProvince ?? '',
        supplier: r.supplierProvince ?? '',
        count: num(r.linkages),
      }))
    : (summary.partners ?? []).flatMap((p) => [
        { buyer: code, supplier: p.partnerProvince ?? '', count: num(p.buysFrom) },
        { buyer: p.partnerProvince ?? '', supplier: code, count: num(p.suppliesTo) },
      ]);
  return {
    source: 'insights',
    openNeeds: num(summary.postings?.openNeeds),
    openCapabilities: num(summary.postings?.openCapabilities),
    needsByCategory: register.needsByCategory,
    enterprises: num(summary.enterprises?.registered),
    leadFirms: register.leadFirms,
    topFirms: (summary.leadFirms ?? []).map((f) => ({
      id: f.enterpriseId ?? '',
      name: f.name || (f.enterpriseId ?? ''),
      linkages: num(f.linkages),
      leadFirm: f.leadFirm === true,
    })),
    unmetNeeds: num(summary.unmetDemand?.unmetNeeds),
    funnel: {
      proposed: num(summary.funnel?.proposed),
      accepted: num(summary.funnel?.accepted),
      established: num(summary.funnel?.established),
    },
    tech: {
      offers: num(summary.techTransfer?.offersPublished),
      cleanerOffers: num(summary.cleanerTechTransfer?.offersPublished),
      interests: num(summary.techTransfer?.interestsExpressed),
      agreements: num(summary.techTransfer?.agreementsSigned),
      cleanerAgreements: num(summary.cleanerTechTransfer?.agreementsSigned),
    },
    linkages: { cells: cells.filter((c) => c.count > 0), total: num(summary.linkages?.linkages) },
  };
}

const facetRows = (response: { facets?: Facet[] } | undefined, name: string) =>
  (response?.facets?.find((f) => f.name === name)?.counts ?? [])
    .map((c) => ({ value: c.value ?? '', count: num(c.count) }))
    .filter((c) => c.value && c.count > 0)
    .sort((a, b) => b.count - a.count);

/** Every page of a listing (bounded: the page shows a province, not the whole register). */
async function allPages<T>(
  fetchPage: (token: string) => Promise<{ items: T[]; next: string }>,
  maxPages = 20,
): Promise<T[]> {
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

async function fromRest(
  code: string,
  session: Session | undefined,
  signal: AbortSignal,
): Promise<ProvinceFigures> {
  const seesProposals =
    session?.role === 'admin' || (session?.role === 'province' && session.provinceCode === code);
  const [register, offers, cleanerOffers] = await Promise.all([
    fromRegister(code, signal),
    answer(
      client.GET('/v1/tech/offers', { params: { query: { owner_province: [code], page_size: 1 } }, signal }),
    ).catch(() => undefined),
    answer(
      client.GET('/v1/tech/offers', {
        params: { query: { owner_province: [code], cleaner_production: true, page_size: 1 } },
        signal,
      }),
    ).catch(() => undefined),
  ]);
  const figures: ProvinceFigures = {
    source: 'rest',
    ...register,
    tech: {
      ...(offers ? { offers: num(offers.page?.totalSize) } : {}),
      ...(cleanerOffers ? { cleanerOffers: num(cleanerOffers.page?.totalSize) } : {}),
    },
  };
  if (!seesProposals) return figures;

  // An officer sees the linkages touching the province; an admin sees every one, so the whole matrix.
  const established = await allPages(async (token) => {
    const page = (await answer(
      client.GET('/v1/proposals', {
        params: {
          query: {
            province_code: session?.role === 'province' ? code : undefined,
            status: ['established'],
            page_size: 100,
            page_token: token,
          },
        },
        signal,
      }),
    )) as ListProposalsResponse | undefined;
    return { items: page?.proposals ?? [], next: page?.page?.nextPageToken ?? '' };
  });
  const counts = new Map<string, LinkageCell>();
  for (const p of established) {
    const buyer = p.buyerProvince ?? '';
    const supplier = p.supplierProvince ?? '';
    const key = `${buyer}>${supplier}`;
    const cell = counts.get(key) ?? { buyer, supplier, count: 0 };
    cell.count += 1;
    counts.set(key, cell);
  }
  const linked = new Set(established.map((p) => p.needId));
  const openNeeds = await allPages(async (token) => {
    const page = (await answer(
      client.GET('/v1/postings', {
        params: { query: { kind: 'need', province: [code], page_size: 100, page_token: token } },
        signal,
      }),
    )) as SearchPostingsResponse | undefined;
    return { items: page?.postings ?? [], next: page?.page?.nextPageToken ?? '' };
  });
  figures.unmetNeeds = openNeeds.filter((p) => p.need && !linked.has(p.need.id)).length;
  figures.linkages = {
    cells: [...counts.values()],
    total: established.filter((p) => p.buyerProvince === code || p.supplierProvince === code).length,
  };
  return figures;
}

export async function loadProvinceFigures(
  code: string,
  session: Session | undefined,
  signal: AbortSignal,
): Promise<ProvinceFigures> {
  const routes = await insightsRoutes();
  if (routes) {
    try {
      return await fromInsights(code, routes, signal);
    } catch (error) {
      if (signal.aborted) throw error;
      // The insights service may be down or refuse the role: the REST figures still stand.
    }
  }
  return fromRest(code, session, signal);
}
