// What other domains may use of this one: its personal data declaration (GDPR) and the
// tombstone account erasure leaves for kept legal rows. Another domain imports this domain
// only through this file (architecture.test.ts holds the rule).
export { authPersonalData, createTombstoneUser } from './personal-data.ts';
