// What other domains may use of this one: its personal data declaration (GDPR), the
// tombstone account erasure leaves for kept legal rows, and the count of a failed password
// check (any door that asks for the password pays into the login throttle). Another
// domain imports this domain only through this file (architecture.test.ts holds the rule).
export { failAttempt } from './lockout-alerts.ts';
export { authPersonalData, createTombstoneUser } from './personal-data.ts';
