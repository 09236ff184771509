import type { Caller } from '../../context.ts';

/** Who pays for a call: always the authenticated caller, never an id from the input. */
export interface Payer {
  userId: string;
  apiKeyId: string | null;
  tier: 'FREE' | 'PREMIUM';
}

export function payerOf(caller: Caller): Payer {
  return { userId: caller.user.id, apiKeyId: caller.apiKey?.id ?? null, tier: caller.user.tier };
}
