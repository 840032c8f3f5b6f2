import { generateKeyPairSync, randomBytes } from 'node:crypto';
import mongoose from 'mongoose';

/**
 * Signing keys and cookie keys, kept in the service's database so that every instance signs with
 * the same key and a restart keeps tokens valid. Made once: the first instance to insert wins and
 * the others read its keys.
 */
const schema = new mongoose.Schema(
  { _id: String, value: { type: String, required: true }, createdAt: { type: Date, required: true } },
  { strict: 'throw', versionKey: false, autoIndex: false, autoCreate: false, id: false },
);

export interface ServiceKeys {
  /** Private JWKs (RS256 first: the default signing algorithm every OIDC library verifies). */
  jwks: { keys: Record<string, unknown>[] };
  cookieKeys: string[];
}

type KeyModel = mongoose.Model<mongoose.InferSchemaType<typeof schema>>;

async function once(model: KeyModel, id: string, make: () => string) {
  const found = await model.findById(id).lean();
  if (found) return found.value;
  try {
    await model.create({ _id: id, value: make(), createdAt: new Date() });
  } catch (error) {
    if ((error as { code?: number }).code !== 11000) throw error;
  }
  return ((await model.findById(id).lean()) as { value: string }).value;
}

export async function loadOrCreateKeys(connection: mongoose.Connection): Promise<ServiceKeys> {
  const model =
    (connection.models.ServiceKey as KeyModel | undefined) ??
    connection.model('ServiceKey', schema, 'service_keys');
  const jwks = await once(model, 'jwks', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
    const kid = randomBytes(8).toString('hex');
    return JSON.stringify({ keys: [{ ...rsa, kid, use: 'sig', alg: 'RS256' }] });
  });
  const cookies = await once(model, 'cookie-keys', () =>
    JSON.stringify([randomBytes(32).toString('base64url')]),
  );
  return { jwks: JSON.parse(jwks), cookieKeys: JSON.parse(cookies) };
}
