import {
  formatEventLine,
  formatProblem,
  formatProposalsTable,
  payloadFacts,
  shortTime,
  statusName,
} from './format';

describe('event lines', () => {
  it('shows time, short type and what the event is about', () => {
    const line = formatEventLine({
      specversion: '1.0',
      id: 'e1',
      type: 'vn.lienket.registry.need.posted.v1',
      source: '/lienket/registry',
      time: '2026-03-04T05:06:07.123Z',
      data: {
        need: {
          id: 'n-1',
          enterpriseId: 'ent-9',
          title: 'Thép cuộn cán nóng',
          province: '01',
          category: 'NEED_CATEGORY_MATERIAL',
          hsCodes: ['7208'],
        },
      },
    });
    expect(line).toBe(
      '2026-03-04T05:06:07Z  registry.need.posted.v1  need=n-1 enterprise=ent-9 title="Thép cuộn cán nóng" province=01 category=NEED_CATEGORY_MATERIAL',
    );
  });

  it('labels ids by what they name, reads the facts of interests and proposal statuses', () => {
    expect(
      payloadFacts({
        facts: { interestId: 'i-1', offerId: 'o-1', ownerProvince: '79', interestedProvince: '01' },
        reason: 'too costly',
      }),
    ).toEqual([
      ['reason', 'too costly'],
      ['interest', 'i-1'],
      ['offer', 'o-1'],
      ['ownerProvince', '79'],
      ['interestedProvince', '01'],
    ]);
    expect(
      payloadFacts({ proposal: { id: 'p-1', score: 0.8734, status: 'PROPOSAL_STATUS_PROPOSED' } }),
    ).toEqual([
      ['proposal', 'p-1'],
      ['score', '0.87'],
      ['status', 'proposed'],
    ]);
  });

  it('caps the facts, shortens long values and falls back to the subject', () => {
    const many = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`thing${i}Id`, `v${i}`]));
    expect(payloadFacts(many)).toHaveLength(8);
    const long = formatEventLine({ type: 't', time: 'x', data: { reason: 'a'.repeat(100) } });
    expect(long).toContain(`reason=${'a'.repeat(59)}…`);
    expect(formatEventLine({ type: 'vn.lienket.x.v1', subject: 'abc', data: {} })).toBe(
      '-  x.v1  subject=abc',
    );
    expect(formatEventLine({ data: 'not an object' }, 'ping')).toBe('-  ping');
  });

  it('normalises times', () => {
    expect(shortTime('2026-03-04T12:06:07.5+07:00')).toBe('2026-03-04T05:06:07Z');
    expect(shortTime('soon')).toBe('soon');
    expect(shortTime(undefined)).toBe('-');
  });
});

describe('proposals table', () => {
  it('aligns id, status, score (right) and reason', () => {
    expect(
      formatProposalsTable([
        {
          id: 'p-1',
          status: 'PROPOSAL_STATUS_PROPOSED',
          score: 0.8734,
          reason: 'Same HS 7208,\n120 km apart',
        },
        { id: 'p-22222', status: 'PROPOSAL_STATUS_ACCEPTED_BY_ONE', score: 0.5 },
        { id: 'p-3' },
      ]),
    ).toBe(
      [
        'ID       STATUS           SCORE  REASON',
        'p-1      proposed          0.87  Same HS 7208, 120 km apart',
        'p-22222  accepted_by_one   0.50',
        'p-3      unspecified       0.00',
        '',
      ].join('\n'),
    );
    expect(formatProposalsTable([])).toBe('No proposals.\n');
  });

  it('names statuses without their enum prefix', () => {
    expect(statusName('PROPOSAL_STATUS_ESTABLISHED')).toBe('established');
    expect(statusName('declined')).toBe('declined');
    expect(statusName(undefined)).toBe('unspecified');
  });
});

describe('problems', () => {
  it('prints the detail, the Vietnamese detail, field errors and where to look', () => {
    expect(
      formatProblem({
        type: 'https://lienket.vn/problems/validation-failed',
        title: 'Invalid request',
        status: 400,
        detail: 'Invalid request: body.title',
        detail_vi: 'Yêu cầu không hợp lệ: body.title',
        code: 'VALIDATION_FAILED',
        request_id: 'r-1',
        errors: [
          {
            field: 'body.title',
            reason: 'minLength',
            message: 'body.title must NOT have fewer than 1 characters',
            message_vi: 'body.title không hợp lệ (must NOT have fewer than 1 characters)',
          },
        ],
      }),
    ).toBe(
      [
        'error: Invalid request: body.title',
        '       Yêu cầu không hợp lệ: body.title',
        '  - body.title: body.title must NOT have fewer than 1 characters',
        '                body.title không hợp lệ (must NOT have fewer than 1 characters)',
        '       (HTTP 400, VALIDATION_FAILED, request r-1)',
        '',
      ].join('\n'),
    );
  });

  it('does not repeat a Vietnamese detail equal to the English one, and copes with a bare status', () => {
    expect(formatProblem({ detail: 'Internal error', detail_vi: 'Internal error', status: 500 })).toBe(
      'error: Internal error\n       (HTTP 500)\n',
    );
    expect(formatProblem({}, 502)).toBe('error: HTTP 502\n       (HTTP 502)\n');
  });
});
