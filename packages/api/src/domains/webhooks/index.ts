export { deliverWebhookJob, subscribeWebhooks } from './delivery.ts';
export { webhooksPersonalData } from './personal-data.ts';
export { adminWebhookLogsRouter, adminWebhooksRouter, webhookStatsProcedure } from './router.ts';
export { assertPublicTarget, isPublicAddress } from './ssrf.ts';
