import { insightsV1 as v1 } from '@lienket/contracts';
import type { Criteria, Dimension, Period } from '../domain/criteria';
import {
  divisionsUnder,
  hsChapterLabel,
  type Label,
  provinceLabel,
  regionLabel,
  vsicDivisionLabel,
} from '../domain/places';
import type { FactKind } from '../domain/rules';
import type { SliceDimension } from '../domain/slices';
import type { Condition, FactStore, SumQuery } from './ports';

/**
 * The read models. Every figure is one $match/$unwind/$group over fact documents, computed when
 * asked: nothing is counted ahead, so a replay into a fresh store answers the same.
 */

/** One figure: which facts, which of their times the period applies to, what is added up. */
export interface Measure {
  kind: FactKind;
  /** The time the period applies to (a slice's `at` with `sliceTime`). */
  time: string;
  /** Open at the end of the period: posted before it ends, not ended by then. */
  stock?: boolean;
  /** Everything up to the end of the period. */
  cumulative?: boolean;
  /** Numeric field to add up (of the document, or of the slice when grouped by slices); else a count. */
  sum?: string;
  /** Where the province and region filters look (a field or an array of codes). */
  province: string;
  region: string;
  /** Dimensions held in a scalar field of the document; the others are read from slices. */
  scalar?: Partial<Record<Dimension, string>>;
  /** The array of slices (default `slices`). */
  slices?: string;
  /** The period applies to each slice's `at` (happenings kept in the fact: renewals). */
  sliceTime?: boolean;
  /** Carries a need category. */
  category?: boolean;
  /** Carries the cleaner-production / pollution-treatment flag. */
  cleaner?: boolean;
  /** Carries sector codes (default true). */
  sectors?: boolean;
  where?: Condition;
}

/** Rows by a dimension, by fields of the document (a matrix), or one total. */
export type Group = { dimension: Dimension } | { fields: readonly string[] } | undefined;

export const KEY_SEPARATOR = '\u001f';

const sliceOf: Record<Dimension, SliceDimension> = {
  province: 'province',
  region: 'region',
  vsic_division: 'vsic',
  hs_chapter: 'hs',
};

function periodCondition({ start, end }: Period): Condition {
  if (!start && !end) return { $exists: true };
  return { ...(start ? { $gte: start } : {}), ...(end ? { $lt: end } : {}) };
}

function baseMatch(m: Measure, c: Criteria, cleanerOnly: boolean): Condition {
  const q: Condition = { ...(m.where ?? {}) };
  const end = c.period.end;
  if (m.stock) {
    q[m.time] = end ? { $lt: end } : { $exists: true };
    if (end) q.$or = [{ endedAt: { $exists: false } }, { endedAt: { $gte: end } }];
    else q.endedAt = { $exists: false };
  } else if (m.cumulative) {
    q[m.time] = end ? { $lt: end } : { $exists: true };
  } else if (!m.sliceTime) {
    q[m.time] = periodCondition(c.period);
  }
  if (m.sectors !== false) {
    if (c.vsicPrefix) q.vsicPrefixes = c.vsicPrefix;
    if (c.hsPrefix) q.hsPrefixes = c.hsPrefix;
  }
  if (c.province) q[m.province] = c.province;
  if (c.region) q[m.region] = c.region;
  if (c.category && m.category) q.category = c.category;
  if (cleanerOnly && m.cleaner) q.cleaner = true;
  return q;
}

/** A slice key the filter names keeps only the named value: a Bắc Ninh–Hà Nội proposal filtered to Bắc Ninh is one Bắc Ninh row. */
function narrowed(slice: SliceDimension, c: Criteria): Condition {
  if (slice === 'province' && c.province) return { k: c.province };
  if (slice === 'region' && c.region) return { k: c.region };
  if (slice === 'vsic' && c.vsicPrefix) return { k: { $in: divisionsUnder(c.vsicPrefix) } };
  if (slice === 'hs' && c.hsPrefix) return { k: c.hsPrefix.slice(0, 2) };
  return {};
}

/**
 * The query of one measure: the document $match, then, when grouping by an array dimension (or
 * counting happenings kept in slices), $unwind of the slices and a $match on the unwound entry
 * only; the group keys and the sum come from the entry too (see slices.ts).
 */
export function sumQuery(
  m: Measure,
  c: Criteria,
  group: Group,
  options: { extra?: readonly string[]; cleanerOnly?: boolean } = {},
): SumQuery {
  const extra = options.extra ?? [];
  const match = baseMatch(m, c, options.cleanerOnly ?? false);
  const dimension = group && 'dimension' in group ? group.dimension : undefined;
  const scalar = dimension ? m.scalar?.[dimension] : undefined;
  const slice: SliceDimension | undefined =
    dimension && !scalar ? sliceOf[dimension] : m.sliceTime ? 'all' : undefined;
  if (!slice) {
    const keys = group && 'fields' in group ? group.fields : scalar ? [scalar] : [];
    return { kind: m.kind, match, by: [...keys, ...extra], ...(m.sum ? { sum: m.sum } : {}) };
  }
  const array = m.slices ?? 'slices';
  const entry: Condition = { d: slice, ...narrowed(slice, c) };
  if (m.sliceTime) entry.at = periodCondition(c.period);
  const prefixed = Object.fromEntries(
    Object.entries(entry).map(([key, value]) => [`${array}.${key}`, value]),
  );
  return {
    kind: m.kind,
    match,
    stages: [{ unwind: array }, { match: prefixed }],
    by: [...(slice === 'all' ? [] : [`${array}.k`]), ...extra.map((e) => `${array}.${e}`)],
    ...(m.sum ? { sum: `${array}.${m.sum}` } : {}),
  };
}

export function labelOf(dimension: Dimension, key: string): Label {
  switch (dimension) {
    case 'province':
      return provinceLabel(key);
    case 'region':
      return regionLabel(key);
    case 'vsic_division':
      return vsicDivisionLabel(key);
    case 'hs_chapter':
      return hsChapterLabel(key);
  }
}

export function dimensionFromProto(value: v1.Dimension): Dimension {
  switch (value) {
    case v1.Dimension.DIMENSION_REGION:
      return 'region';
    case v1.Dimension.DIMENSION_VSIC_DIVISION:
      return 'vsic_division';
    case v1.Dimension.DIMENSION_HS_CHAPTER:
      return 'hs_chapter';
    default:
      return 'province';
  }
}

export const ratio = (part: number, whole: number) =>
  whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : 0;

type Counts<C extends string> = Record<C, number>;

/** Asking the store for figures: one measure's sums by a group, and tables of several measures. */
export function makeFigures(store: FactStore) {
  async function sums(
    m: Measure,
    c: Criteria,
    group: Group,
    options: { extra?: readonly string[]; cleanerOnly?: boolean } = {},
  ) {
    const rows = await store.sum(sumQuery(m, c, group, options));
    return new Map(rows.map((r) => [r.key.join(KEY_SEPARATOR), r.value]));
  }

  /** Several measures by one dimension, and each once overall. */
  async function table<C extends string>(
    c: Criteria,
    dimension: Dimension,
    columns: Record<C, Measure>,
    cleanerOnly = false,
  ): Promise<{ rows: { key: string; values: Counts<C> }[]; total: Counts<C> }> {
    const names = Object.keys(columns) as C[];
    const [byKey, totals] = await Promise.all([
      Promise.all(names.map((n) => sums(columns[n], c, { dimension }, { cleanerOnly }))),
      Promise.all(names.map((n) => sums(columns[n], c, undefined, { cleanerOnly }))),
    ]);
    const keys = [...new Set(byKey.flatMap((m) => [...m.keys()]))].sort();
    const zero = () => Object.fromEntries(names.map((n) => [n, 0])) as Counts<C>;
    const rows = keys.map((key) => {
      const values = zero();
      names.forEach((n, i) => {
        values[n] = byKey[i]?.get(key) ?? 0;
      });
      return { key, values };
    });
    const total = zero();
    names.forEach((n, i) => {
      total[n] = totals[i]?.get('') ?? 0;
    });
    return { rows, total };
  }

  return { store, sums, table };
}

export type Figures = ReturnType<typeof makeFigures>;

/** A row's head: the dimension, the key and its names. */
export const keyed = (dimension: Dimension, key: string) => {
  const label = labelOf(dimension, key);
  return { dimension, key, name: label.name, nameVi: label.nameVi };
};
export const totalKey = { dimension: 'total', key: '', name: 'total', nameVi: 'tổng' };
