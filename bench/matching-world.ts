// The benchmark's world: parties and their capabilities, and the needs asked of them, drawn from the catalogue.
import type { Demand, Party, Supply } from '@lienket/matching';
import { regionOf } from '@lienket/reference';
import { type Catalogue, type Chapter, KINDS, LEAD_TIMES, UNITS_GENERIC } from './matching-catalogue';
import { DAY, NOW } from './matching-options';
import { Rng } from './matching-random';

export interface World {
  parties: Party[];
  supplies: Supply[];
}

export interface Query {
  demand: Demand;
  buyer: Party;
}

export function date(daysFromNow: number): Date {
  return new Date(NOW.getTime() + daysFromNow * DAY);
}

function capacityFigure(rng: Rng, chapter: Chapter, lo: number, hi: number) {
  return { value: rng.amount(lo, hi), unit: rng.pick(chapter.units) };
}

/** About one party per three supplies; each with a main line of goods that most of its postings are in. */
export function generateWorld(
  cat: Catalogue,
  seed: number,
  size: number,
  onProgress: (done: number) => void,
): World {
  const rng = new Rng(seed);
  const partyCount = Math.max(1, Math.round(size / 3));
  const parties: Party[] = [];
  const mainChapter: Chapter[] = [];
  for (let i = 0; i < partyCount; i++) {
    const chapter = cat.chapters.draw(rng);
    const party: Party = {
      enterpriseId: `E${String(i).padStart(7, '0')}`,
      province: cat.provinces.draw(rng),
      kind: KINDS.draw(rng),
      supportingIndustry: rng.chance(chapter.profile?.supporting ? 0.4 : 0.12),
      leadFirm: rng.chance(0.04),
      verified: rng.chance(0.6),
      recognitions: rng.chance(0.3) ? [...new Set([rng.pick(chapter.certs), rng.pick(chapter.certs)])] : [],
    };
    if (rng.chance(0.65)) party.responsiveness = Math.round((0.2 + 0.8 * rng.float()) * 100) / 100;
    parties.push(party);
    mainChapter.push(chapter);
  }

  const supplies: Supply[] = [];
  for (let i = 0; i < size; i++) {
    const p = rng.int(partyCount);
    const party = parties[p] as Party;
    const main = mainChapter[p] as Chapter;
    const first = rng.chance(0.75) ? main : cat.chapters.draw(rng);
    const hsCodes: string[] = [];
    if (rng.chance(0.88)) {
      const count = rng.chance(0.6) ? 1 : rng.chance(0.7) ? 2 : 3;
      let chapter = first;
      for (let c = 0; c < count; c++) {
        hsCodes.push(chapter.codes.draw(rng));
        chapter = rng.chance(0.75) ? first : cat.chapters.draw(rng);
      }
    }
    const vsicCodes: string[] = [];
    if (hsCodes.length === 0 || rng.chance(0.6)) {
      const count = rng.chance(0.8) ? 1 : 2;
      for (let c = 0; c < count; c++) vsicCodes.push(cat.vsicClass(rng, cat.division(rng, first)));
    }
    const served = rng.float();
    const region = regionOf(party.province) as string;
    const certs = rng.chance(0.25) ? [rng.pick(first.certs)] : [];
    if (certs.length > 0 && rng.chance(0.3)) certs.push(rng.pick(first.certs));
    const age = Math.min(400, Math.floor(-Math.log(1 - rng.float()) * 90));
    supplies.push({
      id: `S${String(i).padStart(7, '0')}`,
      enterpriseId: party.enterpriseId,
      province: party.province,
      hsCodes: [...new Set(hsCodes)],
      vsicCodes: [...new Set(vsicCodes)],
      tokens: cat.tokens(rng, first, rng.between(1, 3), rng.between(0, 2)),
      monthlyCapacity: rng.chance(0.85) ? capacityFigure(rng, first, 50, 200_000) : null,
      leadTimeDays: LEAD_TIMES.draw(rng),
      servedProvinces:
        served < 0.08
          ? [
              ...new Set([
                party.province,
                ...Array.from({ length: rng.between(2, 5) }, () => cat.provinces.draw(rng)),
              ]),
            ]
          : [],
      servedRegions:
        served >= 0.08 && served < 0.2
          ? [...new Set([region, ...(rng.chance(0.3) ? [rng.pick(cat.regionCodes)] : [])])]
          : [],
      certifications: [...new Set(certs)],
      postedAt: new Date(NOW.getTime() - age * DAY - rng.int(DAY)),
      validUntil: date(rng.between(10, 365)),
      open: true,
    });
    if (i % 10_000 === 9_999) onProgress(i + 1);
  }
  onProgress(size);
  return { parties, supplies };
}

/** Needs drawn the same way; the buyer is any party, so its own capabilities are in the index too. */
export function generateQueries(
  cat: Catalogue,
  seed: number,
  parties: readonly Party[],
  count: number,
): Query[] {
  const rng = new Rng(seed);
  const queries: Query[] = [];
  for (let i = 0; i < count; i++) {
    const buyer = rng.pick(parties);
    const first = cat.chapters.draw(rng);
    const hsCodes: string[] = [];
    if (rng.chance(0.85)) {
      const count = rng.chance(0.75) ? 1 : rng.chance(0.8) ? 2 : 3;
      let chapter = first;
      for (let c = 0; c < count; c++) {
        const code = chapter.codes.draw(rng);
        // Buyers often ask at heading level.
        hsCodes.push(rng.chance(0.65) ? code : code.slice(0, 4));
        chapter = rng.chance(0.8) ? first : cat.chapters.draw(rng);
      }
    }
    const vsicCodes: string[] = [];
    if (hsCodes.length === 0 || rng.chance(0.35)) {
      const code = cat.vsicClass(rng, cat.division(rng, first));
      const r = rng.float();
      vsicCodes.push(r < 0.7 ? code : r < 0.9 ? code.slice(0, 3) : code.slice(0, 2));
    }
    const others = () =>
      [...new Set(Array.from({ length: rng.between(1, 3) }, () => cat.provinces.draw(rng)))].filter(
        (code) => code !== buyer.province,
      );
    const demand: Demand = {
      id: `D${String(i).padStart(5, '0')}`,
      enterpriseId: buyer.enterpriseId,
      province: buyer.province,
      category: 'goods',
      hsCodes: [...new Set(hsCodes)],
      vsicCodes,
      tokens: cat.tokens(rng, first, rng.between(1, 2), rng.between(0, 1)),
      quantityPerMonth: rng.chance(0.85)
        ? {
            value: rng.amount(20, 50_000),
            unit: rng.chance(0.8) ? rng.pick(first.units) : rng.pick(UNITS_GENERIC),
          }
        : null,
      deadline: rng.chance(0.5) ? date(rng.between(7, 120)) : null,
      requiredCertifications: rng.chance(0.12) ? [rng.pick(first.certs)] : [],
      preferredProvinces: rng.chance(0.1) ? others() : [],
      excludedProvinces: rng.chance(0.08) ? others() : [],
      postedAt: date(-rng.between(0, 30)),
      validUntil: date(rng.between(30, 120)),
      open: true,
    };
    queries.push({ demand, buyer });
  }
  return queries;
}
