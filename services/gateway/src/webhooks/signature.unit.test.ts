import { createHmac } from 'node:crypto';
import {
  computeSignature,
  generateSecret,
  isValidSecret,
  REPLAY_WINDOW_SECONDS,
  signWebhook,
  verifyWebhookSignature,
} from './signature';

// The example of the Standard Webhooks specification (https://github.com/standard-webhooks/standard-webhooks).
const specSecret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const specId = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const specTimestamp = 1614265330;
const specBody = '{"test": 2432232314}';
const specSignature = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';

describe('webhook signatures', () => {
  it('match the Standard Webhooks reference example', () => {
    expect(signWebhook(specSecret, specId, specBody, specTimestamp)['webhook-signature']).toBe(specSignature);
    const headers = {
      'webhook-id': specId,
      'webhook-timestamp': String(specTimestamp),
      'webhook-signature': specSignature,
    };
    expect(verifyWebhookSignature(specSecret, headers, specBody, specTimestamp + 10)).toBe(true);
  });

  it('are an HMAC-SHA256 of "<id>.<timestamp>.<body>" keyed with the decoded secret', () => {
    const secret = generateSecret();
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    expect(key).toHaveLength(32);
    const expected = createHmac('sha256', key).update('d1.1700000000.{"a":1}').digest('base64');
    expect(computeSignature(secret, 'd1', 1700000000, '{"a":1}')).toBe(expected);
    expect(computeSignature(secret, 'd1', 1700000000, Buffer.from('{"a":1}'))).toBe(expected);
  });

  it('fail with another secret, another body, another id or a changed timestamp', () => {
    const secret = generateSecret();
    const now = 1_700_000_000;
    const headers = signWebhook(secret, 'delivery-1', '{"x":1}', now);
    expect(verifyWebhookSignature(secret, headers, '{"x":1}', now)).toBe(true);
    expect(verifyWebhookSignature(generateSecret(), headers, '{"x":1}', now)).toBe(false);
    expect(verifyWebhookSignature(secret, headers, '{"x":2}', now)).toBe(false);
    expect(verifyWebhookSignature(secret, { ...headers, 'webhook-id': 'delivery-2' }, '{"x":1}', now)).toBe(
      false,
    );
    expect(
      verifyWebhookSignature(secret, { ...headers, 'webhook-timestamp': String(now + 1) }, '{"x":1}', now),
    ).toBe(false);
  });

  it('refuse timestamps outside the 5-minute replay window, either way', () => {
    const secret = generateSecret();
    const signedAt = 1_700_000_000;
    const headers = signWebhook(secret, 'd', 'body', signedAt);
    expect(verifyWebhookSignature(secret, headers, 'body', signedAt + REPLAY_WINDOW_SECONDS)).toBe(true);
    expect(verifyWebhookSignature(secret, headers, 'body', signedAt + REPLAY_WINDOW_SECONDS + 1)).toBe(false);
    expect(verifyWebhookSignature(secret, headers, 'body', signedAt - REPLAY_WINDOW_SECONDS - 1)).toBe(false);
  });

  it('accept any one valid signature among several (rotation) and read headers in any case or a Headers object', () => {
    const secret = generateSecret();
    const now = 1_700_000_000;
    const signed = signWebhook(secret, 'd', 'body', now);
    const several = `v1,${Buffer.alloc(32).toString('base64')} v2,abc ${signed['webhook-signature']}`;
    const upper = {
      'Webhook-Id': 'd',
      'Webhook-Timestamp': String(now),
      'Webhook-Signature': several,
    };
    expect(verifyWebhookSignature(secret, upper, 'body', now)).toBe(true);
    expect(verifyWebhookSignature(secret, new Headers(signed), 'body', now)).toBe(true);
    expect(
      verifyWebhookSignature(
        secret,
        { ...signed, 'webhook-signature': `v1,${Buffer.alloc(32).toString('base64')}` },
        'body',
        now,
      ),
    ).toBe(false);
  });

  it('refuse missing or malformed headers', () => {
    const secret = generateSecret();
    const now = 1_700_000_000;
    const signed = signWebhook(secret, 'd', 'body', now);
    const { 'webhook-signature': _s, ...unsigned } = signed;
    expect(verifyWebhookSignature(secret, unsigned, 'body', now)).toBe(false);
    expect(verifyWebhookSignature(secret, { ...signed, 'webhook-timestamp': 'soon' }, 'body', now)).toBe(
      false,
    );
    expect(
      verifyWebhookSignature(
        secret,
        { ...signed, 'webhook-signature': signed['webhook-signature'].replace('v1,', 'v0,') },
        'body',
        now,
      ),
    ).toBe(false);
  });

  it('accept only whsec_ secrets of 24 to 64 bytes', () => {
    expect(isValidSecret(generateSecret())).toBe(true);
    expect(isValidSecret(specSecret)).toBe(true);
    expect(isValidSecret(`whsec_${Buffer.alloc(23, 1).toString('base64')}`)).toBe(false);
    expect(isValidSecret(`whsec_${Buffer.alloc(65, 1).toString('base64')}`)).toBe(false);
    expect(isValidSecret('correct horse battery staple, but long enough')).toBe(false);
    expect(isValidSecret('whsec_not base64!')).toBe(false);
    expect(isValidSecret(42)).toBe(false);
    expect(generateSecret()).not.toBe(generateSecret());
  });
});
