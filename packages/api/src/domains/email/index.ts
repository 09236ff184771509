export { emailPersonalData } from './personal-data.ts';
export { redactedSendPayload } from './redact.ts';
export { adminEmailLogsRouter, adminEmailTemplatesRouter, emailStatsProcedure } from './router.ts';
export { emailRoutes } from './routes.ts';
export { publicBaseUrl, queueEmail, sendEmailJob } from './send.ts';
export { subscribeEmails } from './subscribers.ts';
export { seedDefaultTemplates } from './templates.service.ts';
export type { Trigger } from './triggers.ts';
