import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';

const claimsSchema = z.object({ l: z.uuid(), u: z.url({ protocol: /^https?$/ }).optional() });
export type TrackingClaims = z.infer<typeof claimsSchema>;

let processKey: Buffer | undefined;

/**
 * EMAIL_TRACKING_SECRET, or a random key for this process when none is set (links then
 * work only on the process that sent them, until it restarts: set the secret in production).
 */
export function trackingKey(secret: string | undefined): Buffer {
  if (secret) return Buffer.from(secret);
  processKey ??= randomBytes(32);
  return processKey;
}

const mac = (key: Buffer, body: string) => createHmac('sha256', key).update(body).digest();

/** `<claims>.<hmac>`, both base64url: the log id, and for a click the URL it may go to. */
export function signTracking(key: Buffer, claims: TrackingClaims): string {
  const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
  return `${body}.${mac(key, body).toString('base64url')}`;
}

/** The claims of an untampered token, else null (compared in constant time). */
export function verifyTracking(key: Buffer, token: string): TrackingClaims | null {
  const [body, signature, extra] = token.split('.');
  if (!body || !signature || extra !== undefined) return null;
  const expected = mac(key, body);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const parsed = claimsSchema.safeParse(JSON.parse(Buffer.from(body, 'base64url').toString()));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Every absolute http(s) link of the HTML goes through `/e/c/<signed>`, and a pixel through
 * `/e/o/<signed>` is appended.
 */
export function addTracking(
  html: string,
  options: { key: Buffer; logId: string; baseUrl: string },
): string {
  const { key, logId, baseUrl } = options;
  const linked = html.replace(/href="(https?:\/\/[^"]+)"/g, (_all, escaped: string) => {
    const url = escaped.replace(/&amp;/g, '&').replace(/&#x3D;/g, '=');
    return `href="${baseUrl}/e/c/${signTracking(key, { l: logId, u: url })}"`;
  });
  const pixel = `<img src="${baseUrl}/e/o/${signTracking(key, { l: logId })}" width="1" height="1" alt="" style="display:none">`;
  return linked.includes('</body>') ? linked.replace('</body>', `${pixel}</body>`) : linked + pixel;
}
