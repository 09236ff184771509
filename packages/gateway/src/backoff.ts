export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

/**
 * Exponential backoff with full jitter (a random wait between zero and the exponential
 * cap), which spreads the retries of many clients instead of synchronising them.
 */
export function backoffDelay(retry: number, options: BackoffOptions, random: () => number): number {
  const cap = Math.min(options.maxMs, options.baseMs * 2 ** retry);
  return Math.floor(random() * cap);
}
