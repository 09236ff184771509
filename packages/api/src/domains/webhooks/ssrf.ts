import { type LookupAddress, lookup } from 'node:dns';
import { isIP } from 'node:net';
import { forbidden } from '@phoenix/errors';
import ipaddr from 'ipaddr.js';

/**
 * Whether an address is a public unicast one. Everything else is refused: loopback,
 * private, link-local (cloud metadata at 169.254.169.254), CGNAT, unique-local, multicast,
 * reserved, and IPv6 forms that embed an IPv4 address (mapped, NAT64, 6to4, Teredo), since
 * those can reach the same internal hosts.
 */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === 'unicast';
}

const refused = (host: string, address: string) =>
  forbidden(`Webhook target ${host} resolves to ${address}, a private or reserved address`, {
    reason: 'WEBHOOK_TARGET_FORBIDDEN',
    field: 'url',
  });

function resolveAll(host: string): Promise<LookupAddress[]> {
  return new Promise((resolve, reject) => {
    lookup(host, { all: true, verbatim: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    );
  });
}

/**
 * Refuses a URL whose host is, or resolves to, a non-public address (any of its addresses:
 * a client may connect to whichever it likes). Checked when an endpoint is saved and again
 * before each delivery, since DNS can change in between.
 */
export async function assertPublicTarget(url: string): Promise<void> {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  if (isIP(host)) {
    if (!isPublicAddress(host)) throw refused(host, host);
    return;
  }
  let addresses: LookupAddress[];
  try {
    addresses = await resolveAll(host);
  } catch (error) {
    throw forbidden(`Webhook target ${host} does not resolve`, {
      reason: 'WEBHOOK_TARGET_FORBIDDEN',
      field: 'url',
      cause: error,
    });
  }
  const bad = addresses.find((a) => !isPublicAddress(a.address));
  if (bad || addresses.length === 0) throw refused(host, bad?.address ?? 'nothing');
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `lookup` for the delivery agent's sockets: the address the socket connects to is the
 * one checked here, so a name that resolves to a public address for the check and to an
 * internal one for the connection (DNS rebinding) cannot slip through.
 */
export function guardedLookup(
  hostname: string,
  options: { all?: boolean },
  callback: LookupCallback,
): void {
  resolveAll(hostname).then(
    (addresses) => {
      const bad = addresses.find((a) => !isPublicAddress(a.address));
      if (bad || addresses.length === 0) {
        const error: NodeJS.ErrnoException = new Error(
          `refused: ${hostname} resolves to ${bad?.address ?? 'nothing'}, a private or reserved address`,
        );
        error.code = 'EWEBHOOKTARGET';
        callback(error, '');
        return;
      }
      const first = addresses[0] as LookupAddress;
      if (options.all) callback(null, addresses);
      else callback(null, first.address, first.family);
    },
    (error: NodeJS.ErrnoException) => callback(error, ''),
  );
}
