import { createScryptHasher } from './scrypt-hasher';

// Low cost for the test; production uses logN 17.
const hasher = createScryptHasher({ logN: 12, r: 8, p: 1 });

describe('scrypt password hasher', () => {
  it('verifies the password and nothing else, with a fresh salt each time', async () => {
    const a = await hasher.hash('chè tân cương ngon lắm');
    const b = await hasher.hash('chè tân cương ngon lắm');
    expect(a).toMatch(/^scrypt\$12\$8\$1\$/);
    expect(a).not.toBe(b);
    expect(await hasher.verify('chè tân cương ngon lắm', a)).toBe(true);
    expect(await hasher.verify('chè tân cương ngon lắm!', a)).toBe(false);
    expect(await hasher.verify('chè tân cương ngon lắm', undefined)).toBe(false);
    expect(await hasher.verify('x', 'not-a-hash')).toBe(false);
  });

  it('reads Vietnamese typed in either Unicode form the same (NFC)', async () => {
    const composed = 'Trần Thị Bình 2026';
    const decomposed = composed.normalize('NFD');
    expect(decomposed).not.toBe(composed);
    expect(await hasher.verify(decomposed, await hasher.hash(composed))).toBe(true);
  });

  it('asks for a rehash of weaker parameters', async () => {
    const weak = await createScryptHasher({ logN: 10, r: 8, p: 1 }).hash('mật khẩu dài dài');
    expect(hasher.needsRehash(weak)).toBe(true);
    expect(hasher.needsRehash(await hasher.hash('mật khẩu dài dài'))).toBe(false);
  });
});
