import { Events } from '@lienket/contracts';
import { type EventFormatError, encodeEvent, fromKafkaMessage, toKafkaMessage } from './cloudevents';

const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

function sample() {
  return encodeEvent(
    Events.probePinged,
    { probeId: 'p-1', sequence: 7, note: 'xin chào' },
    {
      id: 'evt-1',
      source: '/lienket/test',
      key: 'p-1',
      subject: 'probe/p-1',
      time: new Date('2026-01-02T03:04:05Z'),
      traceparent,
    },
  );
}

function asReceived(message: ReturnType<typeof toKafkaMessage>) {
  const headers: Record<string, Buffer> = {};
  for (const [k, v] of Object.entries(message.headers ?? {})) headers[k] = Buffer.from(String(v));
  return { key: Buffer.from(String(message.key)), value: message.value as Buffer, headers };
}

describe('CloudEvents binary mode', () => {
  it('puts attributes in ce_ headers, the aggregate id in the key and protobuf in the value', () => {
    const message = toKafkaMessage(sample());
    expect(message.key).toBe('p-1');
    expect(message.headers).toMatchObject({
      ce_id: 'evt-1',
      ce_type: 'vn.lienket.testing.probe.pinged.v1',
      ce_source: '/lienket/test',
      ce_specversion: '1.0',
      ce_subject: 'probe/p-1',
      ce_time: '2026-01-02T03:04:05.000Z',
      'content-type': 'application/protobuf',
      traceparent,
    });
    expect(Buffer.isBuffer(message.value)).toBe(true);
  });

  it('parses what it wrote back into the typed payload', () => {
    const received = fromKafkaMessage(asReceived(toKafkaMessage(sample())));
    expect(received.type).toBe(Events.probePinged.type);
    expect(received.payload).toEqual({ probeId: 'p-1', sequence: 7, note: 'xin chào' });
    expect(received.traceparent).toBe(traceparent);
    expect(received.time.toISOString()).toBe('2026-01-02T03:04:05.000Z');
  });

  it('classifies bad messages', () => {
    const good = asReceived(toKafkaMessage(sample()));
    const reason = (message: Parameters<typeof fromKafkaMessage>[0], max?: number) => {
      try {
        fromKafkaMessage(message, max);
        return 'accepted';
      } catch (error) {
        return (error as EventFormatError).reason;
      }
    };
    expect(reason({ key: null, value: Buffer.from('hi'), headers: {} })).toBe('not_a_cloudevent');
    expect(
      reason({ ...good, headers: { ...good.headers, ce_type: Buffer.from('vn.lienket.nope.v1') } }),
    ).toBe('unknown_type');
    expect(reason({ ...good, value: Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff]) })).toBe('malformed_payload');
    expect(reason(good, 4)).toBe('oversize');
    const { ce_source: _source, ce_specversion: _version, ...withoutRequired } = good.headers ?? {};
    expect(reason({ ...good, headers: withoutRequired })).toBe('not_a_cloudevent');
    expect(reason({ ...good, headers: { ...good.headers, ce_specversion: Buffer.from('0.3') } })).toBe(
      'not_a_cloudevent',
    );
  });
});
