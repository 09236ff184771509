import { ProviderError } from './provider-error.ts';
import { estimateTokens } from './tokens.ts';

/** Usage when a provider reports none for an embedding call (Gemini): counted by us. */
export function estimatedEmbedUsage(input: readonly string[]): {
  inputTokens: number;
  outputTokens: number;
} {
  return { inputTokens: input.reduce((sum, t) => sum + estimateTokens(t), 0), outputTokens: 0 };
}

/** Checks that a provider answered one numeric vector per input, all of one dimension. */
export function checkedVectors(
  provider: string,
  vectors: readonly unknown[],
  count: number,
): number[][] {
  const out: number[][] = [];
  for (const vector of vectors) {
    if (!Array.isArray(vector) || !vector.every((x) => typeof x === 'number' && Number.isFinite(x)))
      throw malformed(provider, 'an embedding is not a list of numbers');
    out.push(vector as number[]);
  }
  if (out.length !== count)
    throw malformed(provider, `${out.length} embeddings for ${count} inputs`);
  const dimension = out[0]?.length ?? 0;
  if (dimension === 0 || out.some((v) => v.length !== dimension))
    throw malformed(provider, 'embeddings of different dimensions');
  return out;
}

function malformed(provider: string, what: string): ProviderError {
  return new ProviderError({ provider, kind: 'server', message: `${provider}: ${what}` });
}

export const OFFLINE_EMBED_MODEL = 'phoenix-hash-embed-1';
export const OFFLINE_EMBED_DIMENSIONS = 256;

/**
 * A deterministic embedding with no model: the feature-hashing trick over lower-cased words
 * and word pairs (FNV-1a picks a dimension and a sign), L2-normalised. Texts sharing words
 * point the same way, so cosine similarity ranks them sensibly; the same text always gives
 * the same vector.
 */
export function hashingEmbedding(text: string, dimensions = OFFLINE_EMBED_DIMENSIONS): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  const words = text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^\p{L}\p{N}\s]/gu, ' ')
    .split(/\s+/)
    .filter((w) => w.length > 1);
  const features = [...words, ...words.slice(1).map((w, i) => `${words[i]} ${w}`)];
  for (const feature of features) {
    const hash = fnv1a(feature);
    const index = hash % dimensions;
    vector[index] = (vector[index] ?? 0) + ((hash >>> 31) & 1 ? -1 : 1);
  }
  const norm = Math.sqrt(vector.reduce((sum, x) => sum + x * x, 0));
  return norm === 0 ? vector : vector.map((x) => x / norm);
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}
