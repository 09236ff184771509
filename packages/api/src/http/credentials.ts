import { parse } from 'hono/utils/cookie';

export interface PresentedCredential {
  token: string;
  via: 'bearer' | 'cookie';
}

/** The bearer token wins over the cookie: scripts and SDKs never rely on ambient cookies. */
export function presentedCredential(
  headers: Headers,
  cookieName: string,
): PresentedCredential | null {
  const authorization = headers.get('authorization');
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    return match?.[1] ? { token: match[1], via: 'bearer' } : null;
  }
  const cookie = headers.get('cookie');
  if (!cookie) return null;
  const token = parse(cookie, cookieName)[cookieName];
  return token ? { token, via: 'cookie' } : null;
}

/**
 * Cookie-authenticated writes must come from our own pages: browsers send
 * Sec-Fetch-Site and Origin on cross-site requests, so either one proves where it came from.
 */
export function isCrossSiteWrite(headers: Headers, allowedOrigins: readonly string[]): boolean {
  const fetchSite = headers.get('sec-fetch-site');
  if (fetchSite === 'same-origin' || fetchSite === 'none') return false;
  const origin = headers.get('origin');
  if (!origin) return fetchSite === 'cross-site' || fetchSite === 'same-site';
  if (allowedOrigins.includes(origin)) return false;
  const host = headers.get('host');
  try {
    return new URL(origin).host !== host;
  } catch {
    return true;
  }
}
