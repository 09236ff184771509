import type { LocalizedText } from './model.ts';
import type { AubeLocale } from './schemas.ts';

/**
 * The catalog speaks English and French; a profile locale such as `fr-CA` reads as French
 * and anything else falls back to English rather than failing.
 */
export function aubeLocaleOf(profileLocale: string): AubeLocale {
  return profileLocale.toLowerCase().startsWith('fr') ? 'fr' : 'en';
}

export function localize(text: LocalizedText, locale: AubeLocale): string {
  return text[locale];
}
