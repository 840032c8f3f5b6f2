import { AppError, type FieldViolation, invalidArgument } from '@lienket/platform/errors';
import { messages } from '@lienket/reference';
import { type ProgrammeActor, requireProvinceOrMinistry } from './actor';
import { type ClusterSite, type Scheme, type TreatmentState, treatmentStates } from './model';
import { provinceField } from './province';

export interface SiteInput {
  name: string;
  province: string;
  operator: string;
  areaHectares: number;
  occupancyPercent: number;
  tenantIds: string[];
  treatment: string;
}

function siteViolations(input: SiteInput): FieldViolation[] {
  const out: FieldViolation[] = [];
  const name = input.name.trim();
  if (name.length < 3 || name.length > 200) out.push(messages.length('name', 3, 200));
  const operator = input.operator.trim();
  if (operator.length < 2 || operator.length > 200) out.push(messages.length('operator', 2, 200));
  if (!Number.isFinite(input.areaHectares) || input.areaHectares <= 0)
    out.push(messages.positive('areaHectares'));
  if (!Number.isFinite(input.occupancyPercent) || input.occupancyPercent < 0 || input.occupancyPercent > 100)
    out.push(messages.range('occupancyPercent', 0, 100));
  if (input.tenantIds.length > 2000) out.push(messages.tooMany('tenantIds', 2000));
  if (!(treatmentStates as readonly string[]).includes(input.treatment))
    out.push({
      field: 'treatment',
      reason: 'unknown_treatment_state',
      description: `Treatment is one of ${treatmentStates.join(', ')}`,
      descriptionVi: 'Trạng thái xử lý nước thải không hợp lệ',
    });
  return out;
}

/** A province's centre (or the ministry) registers a cluster site of its province. */
export function registerSite(actor: ProgrammeActor, input: SiteInput, id: string, now: Date): ClusterSite {
  const violations = siteViolations(input);
  const province = provinceField(input.province, 'province', violations);
  if (violations.length > 0) throw invalidArgument(violations);
  requireProvinceOrMinistry(actor, province);
  const treatment = input.treatment as TreatmentState;
  return {
    id,
    name: input.name.trim(),
    province,
    operator: input.operator.trim(),
    areaHectares: input.areaHectares,
    occupancyPercent: input.occupancyPercent,
    tenantIds: [...new Set(input.tenantIds)],
    treatment,
    treatmentHistory: [{ state: treatment, at: now, by: actor.subject, schemeId: '', note: 'registered' }],
    createdAt: now,
    updatedAt: now,
    version: 1,
  };
}

/** Occupancy and tenants change as firms come and go; treatment changes only through changeTreatment. */
export function updateSite(
  actor: ProgrammeActor,
  site: ClusterSite,
  input: Pick<SiteInput, 'operator' | 'occupancyPercent' | 'tenantIds'>,
  now: Date,
): ClusterSite {
  requireProvinceOrMinistry(actor, site.province);
  const violations = siteViolations({ ...site, ...input, treatment: site.treatment });
  if (violations.length > 0) throw invalidArgument(violations);
  return {
    ...site,
    operator: input.operator.trim(),
    occupancyPercent: input.occupancyPercent,
    tenantIds: [...new Set(input.tenantIds)],
    updatedAt: now,
  };
}

/** A new treatment state, kept in the site's history; the same state again changes nothing. */
export function changeTreatment(
  site: ClusterSite,
  state: TreatmentState,
  change: { by: string; schemeId: string; note: string },
  now: Date,
): ClusterSite | undefined {
  if (!(treatmentStates as readonly string[]).includes(state))
    throw invalidArgument([messages.required('treatment')]);
  if (
    change.schemeId &&
    site.treatmentHistory.some((h) => h.schemeId === change.schemeId && h.state === state)
  )
    return undefined;
  if (site.treatment === state) return undefined;
  return {
    ...site,
    treatment: state,
    treatmentHistory: [...site.treatmentHistory, { state, at: now, ...change }],
    updatedAt: now,
  };
}

/** What an accepted scheme does to its site: a pollution-treatment scheme puts its treatment in operation. */
export function treatmentAfterAcceptance(
  scheme: Pick<Scheme, 'siteId' | 'pollutionTreatment' | 'status'>,
): TreatmentState | undefined {
  if (scheme.status !== 'accepted' || !scheme.siteId || !scheme.pollutionTreatment) return undefined;
  return 'operating';
}

export const unknownSite = (id: string) =>
  new AppError('FAILED_PRECONDITION', `No cluster site ${id}`, {
    code: 'UNKNOWN_SITE',
    messageVi: `Không có cụm công nghiệp ${id}`,
  });
