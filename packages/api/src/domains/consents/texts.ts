import type { ConsentPurpose } from '@phoenix/db';

/**
 * The text a user agrees to, per purpose, and its version. A new wording gets a new
 * version; consent given to an older one is shown as such (the client asks again).
 */
export const CONSENT_TEXTS: Record<ConsentPurpose, { version: string; text: string }> = {
  marketing_email: {
    version: '2026-11-01',
    text: 'Send me news about Phoenix products and offers by email. I can withdraw at any time.',
  },
  ai_training: {
    version: '2026-11-01',
    text: 'Phoenix may use my conversations, anonymised, to improve its AI features. I can withdraw at any time.',
  },
};

export const CONSENT_PURPOSES = Object.keys(CONSENT_TEXTS) as [ConsentPurpose, ...ConsentPurpose[]];
