// The poison messages of drill 4: every way a message can fail to be a CloudEvent this platform reads.
import { randomUUID } from 'node:crypto';
import { ConfigResourceTypes, type IHeaders } from 'kafkajs';
import type { DrillEnv } from './drill-common';
import type { RawMessage } from './kafka';

// ---------------------------------------------------------------- 4. poison and duplicates

export const asBuffers = (headers: Record<string, string | Buffer | undefined>): IHeaders => {
  const out: IHeaders = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined) out[name] = Buffer.isBuffer(value) ? value : Buffer.from(value);
  return out;
};

export const headerString = (headers: IHeaders, name: string) => {
  const value = headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
};

export interface Poison {
  topic: string;
  variant: string;
  expectedReason: string;
  marker: string;
  partition: number;
  offset: number;
  sendError?: string;
}

const OVERSIZE_BYTES = 1_100_000;
export const BIG_LIMIT = String(4 * 1_048_576);

export async function setMaxMessageBytes(env: DrillEnv, topic: string, value: string) {
  // AlterConfigs replaces a topic's whole dynamic config: keep the retention the services set.
  await env.ctx.admin.alterConfigs({
    validateOnly: false,
    resources: [
      {
        type: ConfigResourceTypes.TOPIC,
        name: topic,
        configEntries: [
          { name: 'max.message.bytes', value },
          { name: 'retention.ms', value: '-1' },
        ],
      },
    ],
  });
}

export function poisonVariants(
  sample: RawMessage,
): { variant: string; reason: string; message: (marker: string) => RawMessage; oversize?: boolean }[] {
  const base = Object.fromEntries(
    Object.keys(sample.headers).map((k) => [k, headerString(sample.headers, k)]),
  );
  const without = (...names: string[]) =>
    Object.fromEntries(Object.entries(base).filter(([k]) => !names.includes(k)));
  const fresh = (headers: Record<string, string | undefined>, marker: string) =>
    asBuffers({
      ...headers,
      ...(headers.ce_id !== undefined ? { ce_id: randomUUID() } : {}),
      drill_marker: marker,
    });
  return [
    {
      variant: 'malformed protobuf',
      reason: 'malformed_payload',
      message: (m) => ({
        key: sample.key,
        value: Buffer.from('0f0f0f0f0fffffffff', 'hex'),
        headers: fresh(base, m),
      }),
    },
    {
      variant: 'unknown CloudEvents type',
      reason: 'unknown_type',
      message: (m) => ({
        key: sample.key,
        value: sample.value,
        headers: fresh({ ...base, ce_type: 'vn.lienket.drills.bogus.v1' }, m),
      }),
    },
    {
      variant: 'no headers at all',
      reason: 'not_a_cloudevent',
      message: (m) => ({ key: sample.key, value: sample.value, headers: asBuffers({ drill_marker: m }) }),
    },
    {
      variant: 'missing ce_id',
      reason: 'not_a_cloudevent',
      message: (m) => ({
        key: sample.key,
        value: sample.value,
        headers: asBuffers({ ...without('ce_id'), drill_marker: m }),
      }),
    },
    {
      variant: 'missing ce_type',
      reason: 'not_a_cloudevent',
      message: (m) => ({ key: sample.key, value: sample.value, headers: fresh(without('ce_type'), m) }),
    },
    {
      variant: 'missing ce_source and ce_specversion (required attributes)',
      reason: 'not_a_cloudevent',
      message: (m) => ({
        key: sample.key,
        value: sample.value,
        headers: fresh(without('ce_source', 'ce_specversion'), m),
      }),
    },
    {
      variant: 'missing content type (content-type and ce_datacontenttype)',
      reason: 'malformed_payload',
      message: (m) => ({
        key: sample.key,
        value: sample.value,
        headers: fresh(without('content-type', 'ce_datacontenttype'), m),
      }),
    },
    {
      variant: `oversize payload (${OVERSIZE_BYTES} bytes; topic limit raised to accept it)`,
      reason: 'oversize',
      oversize: true,
      message: (m) => ({
        key: sample.key,
        value: Buffer.alloc(OVERSIZE_BYTES, 0x20),
        headers: fresh(base, m),
      }),
    },
  ];
}
