import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** `whsec_` and 24 random bytes in base64, the Standard Webhooks secret format. */
export function newSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

export interface SigningKeys {
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
}

/**
 * The Standard Webhooks headers of one attempt. While a regenerated secret's predecessor is
 * still valid, the message carries both signatures (space-separated), so a receiver that
 * has not switched yet keeps verifying.
 */
export function signedHeaders(
  keys: SigningKeys,
  message: { id: string; body: string; at: Date },
): Record<string, string> {
  const secrets = [keys.secret];
  if (
    keys.previousSecret &&
    keys.previousSecretExpiresAt &&
    keys.previousSecretExpiresAt > message.at
  ) {
    secrets.push(keys.previousSecret);
  }
  const signatures = secrets.map((secret) =>
    new Webhook(secret).sign(message.id, message.at, message.body),
  );
  return {
    'webhook-id': message.id,
    'webhook-timestamp': String(Math.floor(message.at.getTime() / 1000)),
    'webhook-signature': signatures.join(' '),
  };
}
