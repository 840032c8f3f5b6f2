import { deadLetterTopic } from '@lienket/contracts';
import type { IHeaders, KafkaMessage, Message } from 'kafkajs';
import type { Logger } from 'pino';
import { headerText } from './cloudevents';
import type { EventPublisher } from './publisher';

/** A message this group gives up on, and why. */
export interface DeadLetter {
  message: KafkaMessage;
  reason: string;
  error: string;
  /** Handler attempts made (0: the message was never handed to a handler). */
  attempts: number;
  /** Its CloudEvents type when it decoded. */
  type?: string;
}

export interface DeadLetterOptions {
  publisher: EventPublisher;
  groupId: string;
  topicPrefix: string;
  maxMessageBytes: number;
  log: Logger;
}

/**
 * Sends a batch's dead letters to `<topic>.dlq` in one produce, each with the original message and
 * `dlq_*` headers saying why and where from. If the send fails nothing is committed: the batch is
 * read again and nothing is lost. A body over half the size limit is left out (the headers say
 * where it is): a dead letter the broker refuses would stop this consumer on it for good.
 */
export function createDeadLetterSender({
  publisher,
  groupId,
  topicPrefix,
  maxMessageBytes,
  log,
}: DeadLetterOptions) {
  const letterOf = (topic: string, partition: number, letter: DeadLetter, omitBody: boolean): Message => {
    const { message } = letter;
    const headers: IHeaders = { ...(message.headers ?? {}) };
    headers.dlq_reason = letter.reason;
    headers.dlq_error = letter.error.slice(0, 1_000);
    headers.dlq_original_topic = topic;
    headers.dlq_original_partition = String(partition);
    headers.dlq_original_offset = message.offset;
    headers.dlq_consumer_group = groupId;
    headers.dlq_attempts = String(letter.attempts);
    headers.dlq_failed_at = new Date().toISOString();
    return omitBody
      ? { key: message.key, value: null, headers: withoutBody(headers, message.value) }
      : { key: message.key, value: message.value, headers };
  };

  return async function sendDeadLetters(topic: string, partition: number, letters: DeadLetter[]) {
    if (letters.length === 0) return;
    const unprefixed = topic.startsWith(topicPrefix) ? topic.slice(topicPrefix.length) : topic;
    const target = deadLetterTopic(unprefixed);
    const tooLarge = (letter: DeadLetter) => (letter.message.value?.length ?? 0) > maxMessageBytes / 2;
    try {
      await publisher.sendRaw(
        target,
        letters.map((letter) => letterOf(topic, partition, letter, tooLarge(letter))),
      );
    } catch (error) {
      if ((error as { type?: string }).type !== 'MESSAGE_TOO_LARGE') throw error;
      // One of them is too large for the dead-letter topic: send each, that one without its body.
      for (const letter of letters) {
        try {
          await publisher.sendRaw(target, [letterOf(topic, partition, letter, tooLarge(letter))]);
        } catch (single) {
          if ((single as { type?: string }).type !== 'MESSAGE_TOO_LARGE' || tooLarge(letter)) throw single;
          await publisher.sendRaw(target, [letterOf(topic, partition, letter, true)]);
        }
      }
    }
    for (const { message, reason, error } of letters) {
      log.warn(
        {
          topic,
          partition,
          offset: message.offset,
          reason,
          error,
          type: headerText(message.headers, 'ce_type'),
        },
        'message dead-lettered',
      );
    }
  };
}

/** Dead-letter headers for a message whose body is left out: its size, and where to find it. */
function withoutBody(headers: IHeaders, value: Buffer | null): IHeaders {
  return { ...headers, dlq_body_omitted: 'true', dlq_body_bytes: String(value?.length ?? 0) };
}
