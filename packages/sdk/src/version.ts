import type { RouterOutputs } from '@phoenix/api/client';
import sdkPackage from '../package.json' with { type: 'json' };
import type { PhoenixClient } from './client.ts';

/** This SDK's version, from its package.json (inlined at build). */
export const SDK_VERSION: string = sdkPackage.version;

export interface ServerVersionCheck {
  /** The version of this SDK. */
  sdkVersion: string;
  /** The SDK version the hub was built with: the one whose types match its procedures. */
  serverSdkVersion: string;
  /** The hub's own version. */
  serverVersion: string;
  /** Same major version (same minor while 0.x, where a minor bump may break). */
  compatible: boolean;
  /** A sentence to show or log when not compatible; undefined otherwise. */
  warning: string | undefined;
}

type ServerVersion = RouterOutputs['system']['version'];

const SEMVER = /^(\d+)\.(\d+)\.\d+/;

/**
 * After semver, a major bump (a minor one while 0.x) may rename or remove procedures;
 * a version that is not `x.y.z` is only compatible with itself.
 */
function isCompatible(sdkVersion: string, serverSdkVersion: string): boolean {
  const ours = SEMVER.exec(sdkVersion);
  const theirs = SEMVER.exec(serverSdkVersion);
  if (!ours || !theirs) return sdkVersion === serverSdkVersion;
  if (ours[1] !== theirs[1]) return false;
  return ours[1] !== '0' || ours[2] === theirs[2];
}

/** Compares a `system.version` answer with an SDK version (this one unless given). */
export function compareVersions(
  server: ServerVersion,
  sdkVersion: string = SDK_VERSION,
): ServerVersionCheck {
  const compatible = isCompatible(sdkVersion, server.sdkVersion);
  return {
    sdkVersion,
    serverSdkVersion: server.sdkVersion,
    serverVersion: server.version,
    compatible,
    warning: compatible
      ? undefined
      : `@phoenix/sdk ${sdkVersion} may not match this hub (${server.name} ${server.version}, built with @phoenix/sdk ${server.sdkVersion}); install @phoenix/sdk@${server.sdkVersion}.`,
  };
}

/**
 * Asks the hub (`system.version`, public) which SDK it was built with and compares it
 * with this one, so an app can warn at start-up rather than fail on a renamed procedure:
 * `const check = await checkServerVersion(client); if (check.warning) console.warn(check.warning);`
 */
export async function checkServerVersion(client: PhoenixClient): Promise<ServerVersionCheck> {
  return compareVersions(await client.system.version.query());
}
