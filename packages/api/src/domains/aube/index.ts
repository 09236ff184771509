// What other domains may use of this one: its personal data declaration (GDPR). Another
// domain imports this domain only through this file (architecture.test.ts holds the rule).
export { aubePersonalData } from './personal-data.ts';
