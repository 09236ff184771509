import { z } from 'zod';

export { healthSchema } from '../../platform/health.ts';

export const versionSchema = z.object({
  name: z.string(),
  version: z.string(),
  node: z.string(),
});
