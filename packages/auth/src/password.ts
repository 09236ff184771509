import { type Algorithm, hash, verify } from '@node-rs/argon2';

// `Algorithm` is a const enum in the typings; its value is inlined here (isolatedModules).
const ARGON2ID = 2 as Algorithm;

/** OWASP Password Storage Cheat Sheet: argon2id, m=19 MiB, t=2, p=1. */
export const PASSWORD_HASH_PARAMS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export type PasswordHashParams = { memoryCost: number; timeCost: number; parallelism: number };

export function hashPassword(
  password: string,
  params: PasswordHashParams = PASSWORD_HASH_PARAMS,
): Promise<string> {
  return hash(password, { ...params, algorithm: ARGON2ID });
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/** True when a stored hash was made with other parameters than today's, so login re-hashes it. */
export function needsRehash(
  passwordHash: string,
  params: PasswordHashParams = PASSWORD_HASH_PARAMS,
): boolean {
  const match = /^\$argon2id\$v=\d+\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(passwordHash);
  if (!match) return true;
  const [, m, t, p] = match;
  return (
    Number(m) !== params.memoryCost ||
    Number(t) !== params.timeCost ||
    Number(p) !== params.parallelism
  );
}

let dummyHash: Promise<string> | undefined;

/**
 * Verifies against a fixed hash so an unknown email costs what a wrong password costs:
 * response time must not reveal which accounts exist.
 */
export async function burnPasswordCheck(password: string): Promise<void> {
  dummyHash ??= hashPassword('phoenix-dummy-password-for-timing');
  await verifyPassword(await dummyHash, password);
}
