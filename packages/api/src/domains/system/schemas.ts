import { z } from 'zod';

export const dependencyHealthSchema = z.object({
  ok: z.boolean(),
  latencyMs: z.number(),
  error: z.string().nullable(),
});

export const healthSchema = z.object({
  status: z.enum(['ok', 'degraded']),
  /** The stores that failed their probe, so an operator reads at once which one is down. */
  down: z.array(z.enum(['database', 'kv'])),
  database: dependencyHealthSchema,
  kv: dependencyHealthSchema.extend({ kind: z.enum(['redis', 'memory']) }),
});

export const versionSchema = z.object({
  name: z.string(),
  version: z.string(),
  node: z.string(),
  /** The @phoenix/sdk version built from the same source; the SDK compares it with its own. */
  sdkVersion: z.string(),
});

export type Health = z.infer<typeof healthSchema>;
export type VersionInfo = z.infer<typeof versionSchema>;
export type DependencyHealth = z.infer<typeof dependencyHealthSchema>;
