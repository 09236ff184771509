import sdkPackage from '@phoenix/sdk/package.json' with { type: 'json' };
import type { z } from 'zod';
import type { versionSchema } from './schemas.ts';

export const VERSION = '0.1.0';

export function versionInfo(): z.infer<typeof versionSchema> {
  return {
    name: 'phoenix-hub',
    version: VERSION,
    node: process.version,
    sdkVersion: sdkPackage.version,
  };
}
