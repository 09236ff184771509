import { serialize } from 'hono/utils/cookie';
import type { Context } from '../context.ts';

function isLocal(ctx: Context): boolean {
  const host = ctx.headers.get('host') ?? '';
  return /^(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/.test(host);
}

/** httpOnly, SameSite=Lax, Secure everywhere but plain-http localhost. */
export function setSessionCookie(ctx: Context, token: string, expiresAt: Date): void {
  ctx.resHeaders.append(
    'set-cookie',
    serialize(ctx.config.auth.cookieName, token, {
      httpOnly: true,
      sameSite: 'Lax',
      secure: !isLocal(ctx),
      path: '/',
      expires: expiresAt,
    }),
  );
}

export function clearSessionCookie(ctx: Context): void {
  ctx.resHeaders.append(
    'set-cookie',
    serialize(ctx.config.auth.cookieName, '', {
      httpOnly: true,
      sameSite: 'Lax',
      secure: !isLocal(ctx),
      path: '/',
      maxAge: 0,
    }),
  );
}
