// What other domains (and the CLI) may use of Luna. Another domain imports this domain
// only through this file (architecture.test.ts holds the rule).

export { lunaCall } from './context.ts';
export { createGoal } from './goals.service.ts';
export { lunaPersonalData } from './personal-data.ts';
export { rebuild } from './rebuild.ts';
export { subscribeLuna } from './subscribers.ts';
