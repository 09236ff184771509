// What other domains may use of consents: the check a marketing email asks, the routers
// `gdpr` mounts, and the personal data declaration.
export { consentsPersonalData } from './personal-data.ts';
export { adminConsentsRouter, consentsRouter } from './router.ts';
export { hasConsent } from './service.ts';
