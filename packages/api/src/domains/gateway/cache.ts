import { createHash } from 'node:crypto';
import type { Kv } from '@phoenix/kv';
import { z } from 'zod';

const cachedSchema = z.object({
  text: z.string(),
  provider: z.string(),
  model: z.string(),
  usage: z.object({ inputTokens: z.int(), outputTokens: z.int() }),
  finishReason: z.string().nullable(),
});
export type CachedAnswer = z.infer<typeof cachedSchema>;

/**
 * Exact-match key over everything that shapes the answer, and over who may read it: the
 * payer (the user, who also owns any API key used), so one user's prompt and paid answer
 * never reach another. `shared` (a route's `sharedCache` flag) drops the payer.
 */
export function cacheKey(
  request: {
    route: string;
    messages: readonly { role: string; content: string }[];
    maxTokens: number;
    temperature?: number | undefined;
  },
  scope: { userId: string; shared: boolean },
): string {
  const digest = createHash('sha256')
    .update(
      JSON.stringify([
        scope.shared ? null : scope.userId,
        request.route,
        request.messages,
        request.maxTokens,
        request.temperature ?? null,
      ]),
    )
    .digest('hex');
  return `gw:cache:${scope.shared ? 'shared' : 'user'}:${digest}`;
}

export async function readCache(kv: Kv, key: string): Promise<CachedAnswer | null> {
  const raw = await kv.get(key);
  if (!raw) return null;
  const parsed = cachedSchema.safeParse(JSON.parse(raw));
  return parsed.success ? parsed.data : null;
}

export async function writeCache(
  kv: Kv,
  entry: { key: string; answer: CachedAnswer; ttlSeconds: number },
): Promise<void> {
  await kv.set(entry.key, JSON.stringify(entry.answer), { ttlMs: entry.ttlSeconds * 1000 });
}
