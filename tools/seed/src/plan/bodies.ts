// The plan: everything the seed will send, in the proto3 JSON form the gateway takes (enums by name, money as
// { vnd }), with references ("e12", "c3", …) where the server assigns ids. Request bodies are typed by the
// gateway's OpenAPI document (@lienket/api-client): a field it renames, retypes or no longer has stops the build.

import type { Schemas } from '@lienket/api-client';
import type { RegionCode } from '@lienket/reference';
import type { Chain, Group } from '../catalogue';
import type { ProgrammePlan } from './programme';

/** The fields of a request body the seed always sends (present, not undefined). */
type Sent<Input, Field extends keyof Input> = { [K in Field]-?: Exclude<Input[K], undefined> };

export type Money = Sent<Schemas['lienket.common.v1.Money'], 'vnd'>;
export interface MoneyRange {
  min: Money;
  max: Money;
}
export type Quantity = Sent<Schemas['lienket.common.v1.Quantity'], 'value' | 'unit'>;

type Recognition = Schemas['lienket.registry.v1.Recognition'];
export type RecognitionBody = Sent<Recognition, 'kind' | 'year'> & Pick<Recognition, 'level' | 'product'>;

type EnterpriseInput = Schemas['lienket.registry.v1.EnterpriseInput'];
export type EnterpriseBody = Sent<
  EnterpriseInput,
  | 'taxCode'
  | 'name'
  | 'kind'
  | 'supportingIndustry'
  | 'provinceCode'
  | 'address'
  | 'primaryVsic'
  | 'vsicCodes'
  | 'sizeBand'
> & {
  recognitions: RecognitionBody[];
  trademarks: Sent<Schemas['lienket.registry.v1.Trademark'], 'name' | 'registrationNumber'>[];
  contact: Sent<Schemas['lienket.registry.v1.Contact'], 'person' | 'phone' | 'email'>;
};

export interface PlannedEnterprise {
  ref: string;
  group: Group;
  /** Archetype key, or "institute". */
  archetype: string;
  chain: Chain | null;
  province: string;
  region: RegionCode;
  /** Products it supplies (capabilities). */
  products: string[];
  verification: 'verify' | 'reject' | 'none';
  leadFirm: boolean;
  body: EnterpriseBody;
}

/** A capability as planned; the owner's id (`enterpriseId`) is added when it is posted. */
export type CapabilityBody = Sent<
  Schemas['lienket.registry.v1.CapabilityInput'],
  | 'title'
  | 'description'
  | 'hsCodes'
  | 'vsicCodes'
  | 'leadTimeDays'
  | 'servedProvinces'
  | 'servedRegions'
  | 'certifications'
> & { monthlyCapacity: Quantity; minimumOrder: Quantity; priceBand: MoneyRange };

export interface PlannedCapability {
  ref: string;
  owner: string;
  product: string;
  body: CapabilityBody;
}

/** A need as planned; the buyer's id (`enterpriseId`) is added when it is posted. */
export type NeedBody = Sent<
  Schemas['lienket.registry.v1.NeedInput'],
  | 'title'
  | 'description'
  | 'category'
  | 'hsCodes'
  | 'vsicCodes'
  | 'deadline'
  | 'requiredCertifications'
  | 'preferredProvinces'
> & { quantityPerMonth: Quantity; budget?: MoneyRange };

/** What the buyer does with the proposals matchmaking makes for the need. */
export type NeedOutcome = 'establish' | 'accept-one' | 'decline' | 'leave';

export interface PlannedNeed {
  ref: string;
  owner: string;
  product: string;
  outcome: NeedOutcome;
  body: NeedBody;
}

export interface PlannedCluster {
  name: string;
  chain: string;
  anchor: string;
  members: string[];
}

/** An offer as planned; the owner's id (`ownerEnterpriseId`) is added when it is created. */
export type OfferBody = Sent<
  Schemas['lienket.techtransfer.v1.OfferInput'],
  | 'title'
  | 'summary'
  | 'hsCodes'
  | 'vsicCodes'
  | 'keywords'
  | 'readinessLevel'
  | 'ipStatus'
  | 'ipNumbers'
  | 'transferModes'
  | 'cleanerProduction'
  | 'pollutionTreatment'
  | 'languages'
  | 'visibility'
  | 'visibleProvinces'
  | 'anonymous'
> & { priceBand: MoneyRange };

export interface PlannedOffer {
  ref: string;
  owner: string;
  technology: string;
  body: OfferBody;
}

/** A technology request as planned; the requester's id is added when it is posted. */
export type RequestBody = Sent<
  Schemas['lienket.techtransfer.v1.RequestInput'],
  | 'title'
  | 'description'
  | 'hsCodes'
  | 'vsicCodes'
  | 'keywords'
  | 'minReadinessLevel'
  | 'transferModes'
  | 'cleanerProduction'
  | 'pollutionTreatment'
> & { budget: MoneyRange };

export interface PlannedRequest {
  ref: string;
  requester: string;
  technology: string;
  body: RequestBody;
}

export type Attachment = Sent<
  Schemas['lienket.techtransfer.v1.Attachment'],
  'fileName' | 'mediaType' | 'sizeBytes' | 'sha256'
>;

/** The kinds of agreement the document knows. */
export type AgreementType = Exclude<
  Schemas['lienket.techtransfer.v1.ProposeAgreementRequest']['type'],
  undefined
>;

export interface PlannedInterest {
  ref: string;
  interested: string;
  offer: string;
  request?: string;
  message: string;
  answer: 'accept' | 'decline' | 'none';
  declineReason?: string;
  messages: { by: 'owner' | 'interested'; text: string; attachments: Attachment[] }[];
  agreement?: { type: AgreementType; valueVnd: number; startDate: string; termsSummary: string };
}

type ProgrammeInput = Schemas['lienket.techtransfer.v1.ProgrammeInput'];
export type ProgrammeBody = Sent<ProgrammeInput, 'name' | 'funderKind' | 'maxCofundingPercent'> &
  Pick<ProgrammeInput, 'province'> & {
    sponsor?: Sent<NonNullable<ProgrammeInput['sponsor']>, 'name' | 'kind' | 'country'>;
    budget: Money;
    perProjectCap: Money;
    eligibility: Sent<
      Schemas['lienket.techtransfer.v1.Eligibility'],
      'provinces' | 'vsicPrefixes' | 'cleanerProductionOnly'
    >;
  };

export interface PlannedProgramme {
  ref: string;
  /** "admin", or the province whose officer opens its own fund. */
  openedBy: 'admin' | { province: string };
  body: ProgrammeBody;
}

export interface PlannedApplication {
  interest: string;
  programme: string;
  applicant: string;
  amountVnd: number;
  /** The officer's province that decides (the applicant's). */
  decidedBy: string;
  disbursement?: { amountVnd: number; reference: string };
}

export interface SeedPlan {
  seed: string;
  now: string;
  enterprises: PlannedEnterprise[];
  capabilities: PlannedCapability[];
  needs: PlannedNeed[];
  clusters: PlannedCluster[];
  offers: PlannedOffer[];
  requests: PlannedRequest[];
  interests: PlannedInterest[];
  programmes: PlannedProgramme[];
  applications: PlannedApplication[];
  /** The promotion programme's year (plan/programme.ts). */
  programme: ProgrammePlan;
}

export interface GenerateOptions {
  enterprises: number;
  seed: string | number;
  /** Deadlines and years are counted from here (default: now). */
  now?: Date;
}
