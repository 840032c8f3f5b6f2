import { enumCodec, programmeV1 as pv } from '@lienket/contracts';
import type { ParamSpec } from '../../http/api';

/** The proto package of the programme's messages. */
export const P = 'lienket.programme.v1';
export const tag = 'programme';
export const id = (description: string): ParamSpec => ({
  type: 'string',
  description,
  maxLength: 64,
  pattern: '^[A-Za-z0-9_.:-]+$',
});
export const signedIn = ['enterprise', 'province', 'analyst', 'admin'] as const;
/** A province's promotion centre, or the ministry's department (admin). */
export const managers = ['province', 'admin'] as const;
/** Who may read single schemes: analysts read aggregates only. */
export const schemeReaders = ['enterprise', 'province', 'admin'] as const;

export const supportLine = enumCodec<string>(pv.SupportLine, 'SUPPORT_LINE');
export const fundingSource = enumCodec<string>(pv.FundingSource, 'FUNDING_SOURCE');
export const schemeStatus = enumCodec<string>(pv.SchemeStatus, 'SCHEME_STATUS');
export const treatmentState = enumCodec<string>(pv.TreatmentState, 'TREATMENT_STATE');

export const provinceQuery = (description: string): ParamSpec => ({
  type: 'string',
  maxLength: 3,
  pattern: '^[0-9]*$',
  description,
});
export const yearQuery = (description: string, required = false): ParamSpec => ({
  type: 'integer',
  minimum: 2000,
  maximum: 2100,
  description,
  ...(required ? { required } : {}),
});
