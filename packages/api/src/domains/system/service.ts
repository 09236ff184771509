import { createRequire } from 'node:module';
import { z } from 'zod';
import type { versionSchema } from './schemas.ts';

// Read at run time rather than imported: a type-level import of @phoenix/sdk would make
// the api and SDK type-check projects reference each other, and references must not cycle.
const sdkPackage = z
  .object({ version: z.string() })
  .parse(createRequire(import.meta.url)('@phoenix/sdk/package.json'));

export const VERSION = '0.1.0';

export function versionInfo(): z.infer<typeof versionSchema> {
  return {
    name: 'phoenix-hub',
    version: VERSION,
    node: process.version,
    sdkVersion: sdkPackage.version,
  };
}
