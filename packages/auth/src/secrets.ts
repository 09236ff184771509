import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';

// Lucia's alphabet: lower-case letters and digits without look-alikes (0/o, 1/l).
const ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/** 24 random bytes, 5 bits kept from each: 120 bits of entropy, as Lucia's guide does. */
export function generateSecureRandomString(): string {
  const bytes = new Uint8Array(24);
  crypto.getRandomValues(bytes);
  let result = '';
  for (const byte of bytes) result += ALPHABET[byte >> 3];
  return result;
}

export function hashSecret(secret: string): Uint8Array {
  return sha256(new TextEncoder().encode(secret));
}

/** Compares a presented secret with a stored hash in time independent of where they differ. */
export function secretMatches(secret: string, storedHash: Uint8Array): boolean {
  return constantTimeEqual(hashSecret(secret), new Uint8Array(storedHash));
}

export interface IssuedSecret {
  id: string;
  secret: string;
  secretHash: Uint8Array;
  /** What the holder presents: `<id>.<secret>`. */
  token: string;
}

export function issueSecret(separator = '.'): IssuedSecret {
  const id = generateSecureRandomString();
  const secret = generateSecureRandomString();
  return { id, secret, secretHash: hashSecret(secret), token: `${id}${separator}${secret}` };
}

/** Splits `<id><sep><secret>`; null for anything that is not exactly that shape. */
export function splitToken(token: string, separator = '.'): { id: string; secret: string } | null {
  const parts = token.split(separator);
  if (parts.length !== 2) return null;
  const [id, secret] = parts;
  if (!id || !secret || id.length > 64 || secret.length > 64) return null;
  return { id, secret };
}
