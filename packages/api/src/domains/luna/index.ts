// What other domains may use of Luna: nothing yet. Another domain imports this domain
// only through this file (architecture.test.ts holds the rule).
export {};
