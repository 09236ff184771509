// What other domains may use of this one: nothing yet. Another domain imports this domain
// only through this file (architecture.test.ts holds the rule).
export {};
