/**
 * `@phoenix/api/templates`: what `phoenix create-admin` and `seed` need (the default email
 * templates) and nothing more, so a short command does not load the HTTP app, the payment
 * and storage SDKs or the job queue.
 */
export { seedDefaultTemplates } from './domains/email/templates.service.ts';
