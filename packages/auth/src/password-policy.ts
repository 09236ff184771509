import { type ErrorReason, invalid } from '@phoenix/errors';
import { dictionary } from '@zxcvbn-ts/language-common';

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;

// zxcvbn-ts ships the most common passwords from breach corpora, most frequent first.
const COMMON_PASSWORDS = new Set(dictionary.passwords.map((p) => p.toLowerCase()));

export function commonPasswordCount(): number {
  return COMMON_PASSWORDS.size;
}

/**
 * OWASP ASVS 5.0 V6.2: 8 to 128 characters, any characters allowed, no composition
 * rules, not a commonly used password, not the account's own email.
 * Throws a validation error on the `password` field that names the rule broken.
 */
export function assertPasswordAllowed(password: string, context: { email?: string } = {}): void {
  const length = [...password].length;
  const fail = (reason: ErrorReason, message: string) => {
    throw invalid(message, { field: 'password', reason });
  };
  if (length < PASSWORD_MIN_LENGTH) {
    fail('PASSWORD_TOO_SHORT', `Password must be at least ${PASSWORD_MIN_LENGTH} characters`);
  }
  if (length > PASSWORD_MAX_LENGTH) {
    fail('PASSWORD_TOO_LONG', `Password must be at most ${PASSWORD_MAX_LENGTH} characters`);
  }
  if (COMMON_PASSWORDS.has(password.toLowerCase())) {
    fail(
      'PASSWORD_TOO_COMMON',
      'Password is one of the most commonly used passwords; choose another',
    );
  }
  const email = context.email?.trim().toLowerCase();
  if (
    email &&
    (password.toLowerCase() === email || password.toLowerCase() === email.split('@')[0])
  ) {
    fail('PASSWORD_MATCHES_EMAIL', 'Password must not be your email address');
  }
}
