import { Topics } from '@lienket/contracts';
import { AppError } from '@lienket/platform';
import { decodeCursor, encodeCursor, type Positions } from './cursor';
import { SseParser } from './sse-client';

describe('stream cursors', () => {
  it('round-trips positions of every public topic, large offsets included', () => {
    const positions: Positions = new Map([
      [Topics.registryNeed, [0, 1, 127, 128, 300_000, 2 ** 40]],
      [Topics.matchmakingProposal, [Number.MAX_SAFE_INTEGER]],
      [Topics.techtransferOffer, []],
    ]);
    const token = encodeCursor(positions);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(token)).toEqual(positions);
  });

  it('leaves out topics outside the catalogue and ignores tags it does not know', () => {
    const token = encodeCursor(new Map([['lienket.testing.probe.v1', [5]]]));
    expect(decodeCursor(token)).toEqual(new Map());
    const unknownTag = Buffer.from([1, 1, 2, 3, 4, 1, 9]).toString('base64url');
    expect(decodeCursor(unknownTag)).toEqual(new Map());
  });

  it.each([
    ['empty', ''],
    ['not base64url', 'abc+/='],
    ['not canonical', `${encodeCursor(new Map([[Topics.registryNeed, [1]]]))}A`],
    ['another version', Buffer.from([2]).toString('base64url')],
    ['a truncated tag', Buffer.from([1, 7, 7]).toString('base64url')],
    ['a truncated varint', Buffer.from([1, 1, 2, 3, 4, 0x80]).toString('base64url')],
    ['a varint too long', Buffer.from([1, 1, 2, 3, 4, 1, ...new Array(9).fill(0xff)]).toString('base64url')],
    [
      'an offset beyond 2^53',
      Buffer.from([1, 1, 2, 3, 4, 1, ...new Array(7).fill(0xff), 0x7f]).toString('base64url'),
    ],
    ['too long', 'A'.repeat(20_000)],
  ])('refuses %s as a 400', (_what, token) => {
    let error: unknown;
    try {
      decodeCursor(token);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ kind: 'INVALID_ARGUMENT', code: 'INVALID_CURSOR' });
  });

  it('refuses a topic named twice', () => {
    const once = Buffer.from(encodeCursor(new Map([[Topics.registryNeed, [1]]])), 'base64url');
    const twice = Buffer.concat([once, once.subarray(1)]).toString('base64url');
    expect(() => decodeCursor(twice)).toThrow(/twice/);
  });
});

describe('SseParser', () => {
  it('parses events, comments, retry and id-only blocks across arbitrary chunk boundaries', () => {
    const text =
      'retry: 3000\r\nid: c0\r\n\r\n: heartbeat now\n\nid: c1\nevent: vn.x\ndata: {"a":1}\n\n' +
      'data: line one\rdata:line two\r\r: heartbeat later\nid: c2\n\nid\nevent: y\ndata: z\n\n';
    const expected = [
      { kind: 'retry', ms: 3000 },
      { kind: 'id', id: 'c0' },
      { kind: 'comment', text: 'heartbeat now' },
      { kind: 'event', event: { id: 'c1', event: 'vn.x', data: '{"a":1}' } },
      { kind: 'event', event: { id: 'c1', event: 'message', data: 'line one\nline two' } },
      { kind: 'comment', text: 'heartbeat later' },
      { kind: 'id', id: 'c2' },
      { kind: 'event', event: { id: '', event: 'y', data: 'z' } },
    ];
    for (const size of [1, 2, 3, 7, text.length]) {
      const parser = new SseParser();
      const items = [];
      for (let at = 0; at < text.length; at += size) items.push(...parser.push(text.slice(at, at + size)));
      expect(items).toEqual(expected);
      expect(parser.lastEventId).toBe('');
    }
  });

  it('drops an event cut off before its blank line and keeps the last complete id', () => {
    const parser = new SseParser('start');
    const items = parser.push('id: a\ndata: 1\n\nid: b\ndata: {"half');
    expect(items).toEqual([{ kind: 'event', event: { id: 'a', event: 'message', data: '1' } }]);
    expect(parser.lastEventId).toBe('a');
  });
});
