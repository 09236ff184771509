import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

/**
 * Client address resolver: X-Forwarded-For is believed only for hops that are
 * configured trusted proxies, so a spoofed header cannot change a caller's identity.
 */
export function clientIpResolver(trustedProxies: readonly string[]) {
  // With no trusted proxy the answer is the socket's peer, whatever the headers say;
  // proxy-addr would parse X-Forwarded-For on every request to reach the same address.
  if (trustedProxies.length === 0) {
    return (incoming: IncomingMessage | undefined): string =>
      incoming?.socket?.remoteAddress ?? 'unknown';
  }
  const trust = proxyaddr.compile([...trustedProxies]);
  return (incoming: IncomingMessage | undefined): string => {
    if (!incoming?.socket) return 'unknown';
    return proxyaddr(incoming, trust);
  };
}
