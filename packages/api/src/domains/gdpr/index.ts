// What other domains (and root.ts, the CLI) may use of GDPR. Another domain imports this
// domain only through this file (architecture.test.ts holds the rule).
export { eraseJob, erasureDueJob, erasureFailedJob, runErasure } from './erasure.service.ts';
export { exportFailedJob, exportJob } from './export.service.ts';
export { gdprPersonalData } from './personal-data.ts';
export { RETENTION_RULES, type RetentionCount, runRetention } from './retention.ts';
export { retentionJob } from './retention-job.ts';
export { adminGdprRouter, gdprRouter } from './router.ts';
export { gdprRoutes } from './routes.ts';
