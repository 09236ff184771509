// What other domains (and the composition root) may use of billing. Another domain imports
// this domain only through this file (architecture.test.ts holds the rule).
export { changeTierByAdmin } from './admin.service.ts';
export { expireGracePeriods } from './grace.ts';
export { applyBillingEventJob, billingGraceJob, deleteProviderCustomerJob } from './jobs.ts';
export { billingPersonalData } from './personal-data.ts';
export { adminBillingRouter } from './router.ts';
export { billingRoutes } from './routes.ts';
