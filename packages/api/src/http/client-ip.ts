import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

/**
 * Client address resolver: X-Forwarded-For is believed only for hops that are
 * configured trusted proxies, so a spoofed header cannot change a caller's identity.
 */
export function clientIpResolver(trustedProxies: readonly string[]) {
  const trust = proxyaddr.compile([...trustedProxies]);
  return (incoming: IncomingMessage | undefined): string => {
    if (!incoming?.socket) return 'unknown';
    return proxyaddr(incoming, trust);
  };
}
