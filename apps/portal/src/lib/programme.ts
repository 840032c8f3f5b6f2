// The programme's shapes and words for the portal (issue 18): schemes, support-line rules, cluster sites.
import type { Schemas } from '@lienket/api-client';
import { type MessageKey, shortEnum, type Translate } from './i18n';
import { num } from './types';

type Having<T, K extends keyof T> = T & { [P in K]-?: Exclude<T[P], undefined> };

export type Scheme = Having<Schemas['lienket.programme.v1.Scheme'], 'schemeId' | 'title'>;
export type SupportLineRule = Schemas['lienket.programme.v1.SupportLineRule'];
export type ClusterSite = Having<Schemas['lienket.programme.v1.ClusterSite'], 'siteId' | 'name'>;
export type FundingMix = Schemas['lienket.programme.v1.FundingMix'];

/** The nine support lines in the order of the programme's rules. */
export const SUPPORT_LINES = [
  'training',
  'machinery_technology',
  'demonstration_model',
  'cleaner_production',
  'product_development',
  'trade_promotion',
  'consulting',
  'linkage_cluster',
  'cluster_site_infrastructure',
] as const;

export const SCHEME_STATUSES = [
  'proposed',
  'appraised',
  'approved',
  'contracted',
  'implementing',
  'accepted',
  'settled',
  'rejected',
  'withdrawn',
  'cancelled',
] as const;

export const lineOf = (value: string | undefined) => shortEnum(value ?? '', 'SUPPORT_LINE_');
export const statusOf = (value: string | undefined) => shortEnum(value ?? '', 'SCHEME_STATUS_');
export const treatmentOf = (value: string | undefined) => shortEnum(value ?? '', 'TREATMENT_STATE_');

export const lineLabel = (t: Translate, value: string | undefined) =>
  t(`prog.line.${lineOf(value)}` as MessageKey);
export const statusLabel = (t: Translate, value: string | undefined) =>
  t(`prog.status.${statusOf(value)}` as MessageKey);
export const treatmentLabel = (t: Translate, value: string | undefined) =>
  t(`prog.treatment.${treatmentOf(value)}` as MessageKey);

/** Whole VND of a Money. */
export const vnd = (money: { vnd?: number } | undefined) => num(money?.vnd);

/** An amount for people: "1,2 tỷ đồng", "350 triệu đồng" (or VND in English). */
export function formatVnd(value: number, lang: 'vi' | 'en', number: (n: number, digits?: number) => string) {
  if (lang === 'en') {
    if (Math.abs(value) >= 1e9) return `${number(value / 1e9, 2)} billion VND`;
    if (Math.abs(value) >= 1e6) return `${number(value / 1e6, 1)} million VND`;
    return `${number(value)} VND`;
  }
  if (Math.abs(value) >= 1e9) return `${number(value / 1e9, 2)} tỷ đồng`;
  if (Math.abs(value) >= 1e6) return `${number(value / 1e6, 1)} triệu đồng`;
  return `${number(value)} đồng`;
}

/** Millions as typed (comma or point as the decimal mark) into whole VND; NaN when it is not a number. */
export function millionsToVnd(text: string): number {
  const cleaned = text.trim().replace(/\s/g, '').replace(',', '.');
  if (!cleaned) return 0;
  if (!/^\d+(\.\d+)?$/.test(cleaned)) return Number.NaN;
  return Math.round(Number(cleaned) * 1_000_000);
}

/** What is wrong with a funding mix under a rule, before the service is asked (the service decides). */
export function mixProblems(
  mix: { cost: number; state: number; counterpart: number; sponsor: number },
  rule: SupportLineRule | undefined,
): { gap: number; overCap: boolean; minCounterpart: number } {
  const gap = mix.state + mix.counterpart + mix.sponsor - mix.cost;
  const cap = vnd(rule?.cap);
  const minCounterpart = Math.ceil((mix.cost * num(rule?.minCounterpartPercent)) / 100);
  return { gap, overCap: cap > 0 && mix.state > cap, minCounterpart };
}
