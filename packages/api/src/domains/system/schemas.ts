import { z } from 'zod';

export { healthSchema } from '../../platform/health.ts';

export const versionSchema = z.object({
  name: z.string(),
  version: z.string(),
  node: z.string(),
  /** The @phoenix/sdk version built from the same source; the SDK compares it with its own. */
  sdkVersion: z.string(),
});
