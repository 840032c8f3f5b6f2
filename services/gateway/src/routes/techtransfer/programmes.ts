import { techtransferServiceV1 as api, enumCodec, techtransferV1 as tt } from '@lienket/contracts';
import { list, message, pageOf, pagingQuery, route } from '../../http/api';
import { callAs, type ServiceClients } from '../clients';
import { id, signedIn, T, tag } from './shared';

const funderKind = enumCodec<string>(tt.FunderKind, 'FUNDER_KIND');

/** Co-funding programmes: opening, budget changes, closure and the list applicants choose from. */
export function programmeRoutes({ techtransfer: t }: ServiceClients) {
  return [
    route({
      method: 'post',
      path: '/v1/tech/programmes',
      operationId: 'createProgramme',
      creates: { id: '/programme/id', params: ['programmeId'] },
      summary: 'Open a co-funding programme (admins; officers: their province’s fund)',
      tag,
      callers: ['province', 'admin'],
      body: message(`${T}.ProgrammeInput`, api.ProgrammeInput),
      bodyField: 'programme',
      response: message(`${T}.CreateProgrammeResponse`, api.CreateProgrammeResponse),
      status: 201,
      handler: ({ actor, body, request }) => t.createProgramme({ programme: body }, callAs(actor, request)),
    }),
    route({
      method: 'post',
      path: '/v1/tech/programmes/:programmeId/budget-changes',
      operationId: 'changeProgrammeBudget',
      unprocessable: 'The programme is closed, or a reduction exceeds what is not yet committed',
      summary: 'Top a budget up or reduce it (never below what is committed)',
      tag,
      callers: ['province', 'admin'],
      params: { programmeId: id('Programme id') },
      body: message(`${T}.ChangeProgrammeBudgetRequest`, api.ChangeProgrammeBudgetRequest),
      response: message(`${T}.ChangeProgrammeBudgetResponse`, api.ChangeProgrammeBudgetResponse),
      handler: ({ actor, params, body, request }) =>
        t.changeProgrammeBudget({ ...body, programmeId: params.programmeId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'post',
      path: '/v1/tech/programmes/:programmeId/closure',
      operationId: 'closeProgramme',
      unprocessable: 'The programme is already closed',
      summary: 'Close a programme to new applications and approvals',
      tag,
      callers: ['province', 'admin'],
      params: { programmeId: id('Programme id') },
      response: message(`${T}.CloseProgrammeResponse`, api.CloseProgrammeResponse),
      handler: ({ actor, params, request }) =>
        t.closeProgramme({ programmeId: params.programmeId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'get',
      path: '/v1/tech/programmes/:programmeId',
      operationId: 'getProgramme',
      summary: 'A programme with its budget, committed and disbursed amounts',
      tag,
      callers: signedIn,
      params: { programmeId: id('Programme id') },
      response: message(`${T}.GetProgrammeResponse`, api.GetProgrammeResponse),
      handler: ({ actor, params, request }) =>
        t.getProgramme({ programmeId: params.programmeId ?? '' }, callAs(actor, request)),
    }),
    route({
      method: 'get',
      path: '/v1/tech/programmes',
      operationId: 'listProgrammes',
      summary: 'Programmes, e.g. those an applicant of a province may apply to',
      tag,
      callers: signedIn,
      query: {
        eligible_province: {
          type: 'string',
          maxLength: 3,
          pattern: '^[0-9]*$',
          description: 'Applicants’ province',
        },
        funder_kind: { type: 'string', array: true, enum: funderKind.values, description: 'Kinds of funder' },
        include_closed: { type: 'boolean', description: 'Closed programmes too' },
        ...pagingQuery,
      },
      response: message(`${T}.ListProgrammesResponse`, api.ListProgrammesResponse),
      handler: ({ actor, query, request }) =>
        t.listProgrammes(
          {
            eligibleProvince: String(query.eligible_province ?? ''),
            funderKinds: list(query.funder_kind).map(funderKind.toProto),
            includeClosed: query.include_closed === true,
            page: pageOf(query),
          },
          callAs(actor, request),
        ),
    }),
  ];
}
