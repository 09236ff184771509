import { describe, expect, it } from 'vitest';
import {
  assertPasswordAllowed,
  commonPasswordCount,
  hashPassword,
  needsRehash,
  verifyPassword,
} from './index.ts';
import { generateSecureRandomString, splitToken } from './secrets.ts';

describe('password policy (ASVS 5 V6.2)', () => {
  it('ships at least the 10,000 most common passwords', () => {
    expect(commonPasswordCount()).toBeGreaterThanOrEqual(10_000);
  });

  it('accepts long passphrases of any characters without composition rules', () => {
    expect(() => assertPasswordAllowed('lowercase only passphrase')).not.toThrow();
    expect(() => assertPasswordAllowed('пароль-очень-длинный')).not.toThrow();
    expect(() => assertPasswordAllowed('🔥🔥🔥🔥🔥🔥🔥🔥')).not.toThrow();
  });

  it.each([
    ['1234567', 'PASSWORD_TOO_SHORT'],
    ['a'.repeat(129), 'PASSWORD_TOO_LONG'],
    ['iloveyou', 'PASSWORD_TOO_COMMON'],
    ['Qwerty123', 'PASSWORD_TOO_COMMON'],
  ])('refuses %s with %s on the password field', (password, reason) => {
    expect(() => assertPasswordAllowed(password)).toThrow(
      expect.objectContaining({ reason, field: 'password' }),
    );
  });

  it('refuses the account’s own email', () => {
    expect(() =>
      assertPasswordAllowed('Ada.Lovelace@example.com', { email: 'ada.lovelace@example.com' }),
    ).toThrow(expect.objectContaining({ reason: 'PASSWORD_MATCHES_EMAIL' }));
  });
});

describe('argon2id hashing', () => {
  it('hashes with OWASP parameters and verifies', async () => {
    const hash = await hashPassword('correct horse battery staple');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(hash, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(hash, 'wrong')).toBe(false);
    expect(await verifyPassword('not a hash', 'x')).toBe(false);
    expect(needsRehash(hash)).toBe(false);
    expect(
      needsRehash(
        await hashPassword('x'.repeat(10), { memoryCost: 4096, timeCost: 1, parallelism: 1 }),
      ),
    ).toBe(true);
  });
});

describe('secrets', () => {
  it('generates 24-character tokens from the 32-letter alphabet (120 bits)', () => {
    const values = new Set(Array.from({ length: 200 }, generateSecureRandomString));
    expect(values.size).toBe(200);
    for (const value of values) expect(value).toMatch(/^[a-km-np-z2-9]{24}$/);
  });

  it('splits only well-formed tokens', () => {
    expect(splitToken('abc.def')).toEqual({ id: 'abc', secret: 'def' });
    expect(splitToken('abc')).toBeNull();
    expect(splitToken('a.b.c')).toBeNull();
    expect(splitToken('.x')).toBeNull();
  });
});
