import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

let processKey: Buffer | undefined;

/**
 * GDPR_LINK_SECRET (or EMAIL_TRACKING_SECRET), else a random key for this process: links
 * then work only on the process that signed them, until it restarts. Set one in production.
 */
export function linkKey(secret: string | undefined): Buffer {
  if (secret) return Buffer.from(secret);
  processKey ??= randomBytes(32);
  return processKey;
}

const mac = (key: Buffer, body: string) =>
  createHmac('sha256', key).update(`gdpr-export:${body}`).digest();

/** `<request id>.<expiry ms>.<hmac>`: names one export and when the link stops working. */
export function signDownload(
  key: Buffer,
  claims: { requestId: string; expiresMs: number },
): string {
  const body = `${claims.requestId}.${claims.expiresMs}`;
  return `${body}.${mac(key, body).toString('base64url')}`;
}

export type DownloadClaims = { requestId: string; expiresMs: number };

/** The claims of an untampered token (compared in constant time), else null. Expiry is the caller's. */
export function verifyDownload(key: Buffer, token: string): DownloadClaims | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const [requestId = '', expires = '', signature = ''] = parts;
  if (!/^[0-9a-f-]{36}$/.test(requestId) || !/^\d{1,15}$/.test(expires)) return null;
  const expected = mac(key, `${requestId}.${expires}`);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return { requestId, expiresMs: Number(expires) };
}
