import { createHash } from 'node:crypto';
import { AppError } from '@lienket/platform';
import { publicTopics } from '../events/public-events';

/**
 * Stream cursors: the position of a stream in every partition of every public topic, as an opaque
 * base64url token (the SSE `id`). Version 1 is a byte string:
 *
 *   0x01, then per topic: a 4-byte tag (SHA-256 of the unprefixed topic name), a varint partition
 *   count n and n varints: the next offset to read in partitions 0..n-1.
 *
 * Tags keep old cursors meaningful when topics are added to or removed from the catalogue: an unknown
 * tag is ignored, and a topic or partition the cursor does not name is read from its beginning (it
 * did not exist, or was not read, when the cursor was made).
 */

/** Next offset to read per partition, by unprefixed topic name. */
export type Positions = Map<string, number[]>;

const VERSION = 1;
const MAX_TOKEN_LENGTH = 16_384;
const MAX_PARTITIONS = 10_000;

const tagOf = (topic: string) => createHash('sha256').update(topic).digest().readUInt32BE(0);
const topicByTag = new Map<number, string>();
const tagByTopic = new Map<string, number>();
for (const topic of publicTopics) {
  const tag = tagOf(topic);
  if (topicByTag.has(tag)) throw new Error(`stream cursor tags collide: ${topic} and ${topicByTag.get(tag)}`);
  topicByTag.set(tag, topic);
  tagByTopic.set(topic, tag);
}

export const invalidCursor = (why: string) =>
  new AppError('INVALID_ARGUMENT', `The stream cursor (Last-Event-ID) is not valid: ${why}`, {
    code: 'INVALID_CURSOR',
    messageVi: `Con trỏ luồng (Last-Event-ID) không hợp lệ: ${why}`,
  });

function pushVarint(bytes: number[], value: number) {
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
}

/** Encodes positions of public topics (in catalogue order); topics outside the catalogue are left out. */
export function encodeCursor(positions: Positions): string {
  const bytes: number[] = [VERSION];
  for (const topic of publicTopics) {
    const offsets = positions.get(topic);
    const tag = tagByTopic.get(topic);
    if (!offsets || tag === undefined) continue;
    bytes.push(tag >>> 24, (tag >>> 16) & 0xff, (tag >>> 8) & 0xff, tag & 0xff);
    pushVarint(bytes, offsets.length);
    for (const offset of offsets) pushVarint(bytes, offset);
  }
  return Buffer.from(bytes).toString('base64url');
}

/** Decodes a cursor; throws a 400 AppError (INVALID_CURSOR) for anything but a well-formed one. */
export function decodeCursor(token: string): Positions {
  if (token.length === 0 || token.length > MAX_TOKEN_LENGTH || !/^[A-Za-z0-9_-]+$/.test(token))
    throw invalidCursor('not a base64url token');
  const bytes = Buffer.from(token, 'base64url');
  if (bytes.toString('base64url') !== token) throw invalidCursor('not a canonical base64url token');
  if (bytes[0] !== VERSION) throw invalidCursor(`unknown version ${bytes[0]}`);
  let at = 1;
  const varint = (): number => {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 8; i += 1) {
      const byte = bytes[at];
      if (byte === undefined) throw invalidCursor('truncated');
      at += 1;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) {
        if (!Number.isSafeInteger(value)) throw invalidCursor('offset out of range');
        return value;
      }
      scale *= 0x80;
    }
    throw invalidCursor('varint too long');
  };
  const positions: Positions = new Map();
  const seen = new Set<number>();
  while (at < bytes.length) {
    if (at + 4 > bytes.length) throw invalidCursor('truncated');
    const tag = bytes.readUInt32BE(at);
    at += 4;
    if (seen.has(tag)) throw invalidCursor('a topic appears twice');
    seen.add(tag);
    const count = varint();
    if (count > MAX_PARTITIONS) throw invalidCursor('too many partitions');
    const offsets: number[] = [];
    for (let p = 0; p < count; p += 1) offsets.push(varint());
    const topic = topicByTag.get(tag);
    if (topic !== undefined) positions.set(topic, offsets);
  }
  return positions;
}
