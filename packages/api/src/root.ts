/**
 * The composition root: the one module that names every domain. It lists their routers,
 * plain HTTP routes and job kinds, and hands them to the core, which names none.
 */
import type { AppDeps } from './context.ts';
import { type BaseDeps, buildAppDeps } from './deps.ts';
import { auditRetentionJob } from './domains/admin/audit/retention-job.ts';
import { adminPersonalData } from './domains/admin/index.ts';
import { adminRouter } from './domains/admin/router.ts';
import { adminRoutes } from './domains/admin/routes.ts';
import { aubePersonalData } from './domains/aube/index.ts';
import { aubeRouter } from './domains/aube/router.ts';
import { authPersonalData } from './domains/auth/index.ts';
import { sessionSweepJob } from './domains/auth/jobs.ts';
import { authRouter } from './domains/auth/router.ts';
import {
  applyBillingEventJob,
  billingGraceJob,
  billingPersonalData,
  billingRoutes,
  deleteProviderCustomerJob,
} from './domains/billing/index.ts';
import { billingRouter } from './domains/billing/router.ts';
import {
  analyzeChampionJob,
  championPersonalData,
  championRoutes,
  championsRouter,
  trainingRouter,
} from './domains/champion/index.ts';
import { consentsPersonalData } from './domains/consents/index.ts';
import {
  emailPersonalData,
  emailRoutes,
  sendEmailJob,
  subscribeEmails,
} from './domains/email/index.ts';
import { gatewayPersonalData } from './domains/gateway/index.ts';
import { abandonedCallsJob } from './domains/gateway/jobs.ts';
import { gatewayRouter } from './domains/gateway/router.ts';
import { gatewayRoutes } from './domains/gateway/routes.ts';
import {
  eraseJob,
  erasureDueJob,
  erasureFailedJob,
  exportFailedJob,
  exportJob,
  gdprPersonalData,
  gdprRouter,
  gdprRoutes,
  retentionJob,
} from './domains/gdpr/index.ts';
import { lunaPersonalData, subscribeLuna } from './domains/luna/index.ts';
import { lunaRouter } from './domains/luna/router.ts';
import { risePersonalData } from './domains/rise/index.ts';
import { riseRouter } from './domains/rise/router.ts';
import { systemRouter } from './domains/system/router.ts';
import {
  deliverWebhookJob,
  subscribeWebhooks,
  webhooksPersonalData,
} from './domains/webhooks/index.ts';
import { consoleRoutes } from './http/console.ts';
import type { PlainRoutes } from './http/plain-routes.ts';
import { restRoutes } from './http/rest.ts';
import type { JobDefinition } from './platform/jobs/index.ts';
import {
  type PersonalDataDeclaration,
  platformPersonalData,
} from './platform/personal-data/index.ts';
import { router } from './trpc.ts';

/** Each domain's procedures, by name. Plain records: their types carry no server context. */
export const procedures = {
  system: systemRouter,
  auth: authRouter,
  admin: adminRouter,
  gateway: gatewayRouter,
  rise: riseRouter,
  aube: aubeRouter,
  luna: lunaRouter,
  gdpr: gdprRouter,
  champions: championsRouter,
  training: trainingRouter,
  billing: billingRouter,
};

export const appRouter = router(procedures);

/**
 * Each domain's plain HTTP doors (what is not tRPC), mounted by `http/app.ts`, and the REST
 * door over the whole router (the procedures whose meta declares `openapi`).
 */
export const appRoutes: readonly PlainRoutes[] = [
  gatewayRoutes,
  adminRoutes,
  emailRoutes,
  gdprRoutes,
  ...billingRoutes,
  championRoutes,
  restRoutes(appRouter),
  consoleRoutes,
];

/** Every job kind the hub runs, registered in every process. */
export const appJobs: readonly JobDefinition[] = [
  sessionSweepJob,
  abandonedCallsJob,
  auditRetentionJob,
  deliverWebhookJob,
  sendEmailJob,
  analyzeChampionJob,
  applyBillingEventJob,
  billingGraceJob,
  deleteProviderCustomerJob,
  exportJob,
  exportFailedJob,
  eraseJob,
  erasureFailedJob,
  erasureDueJob,
  retentionJob,
];

/**
 * Every domain's personal data (GDPR): what it keeps about a user, how it is exported and
 * erased. A domain with a user column adds its declaration here; the catalogue test
 * (`domains/gdpr/catalogue.test.ts`) fails on any user column none of them lists.
 */
export const appPersonalData: readonly PersonalDataDeclaration[] = [
  authPersonalData,
  platformPersonalData,
  gatewayPersonalData,
  risePersonalData,
  aubePersonalData,
  lunaPersonalData,
  adminPersonalData,
  emailPersonalData,
  webhooksPersonalData,
  championPersonalData,
  billingPersonalData,
  consentsPersonalData,
  gdprPersonalData,
];

/**
 * Builds every long-lived service the procedures use, with the hub's job kinds and the
 * domains' event subscribers (registered in every process, so a delivery job finds its
 * handler wherever it runs).
 */
export function createAppDeps(base: BaseDeps): AppDeps {
  const deps = buildAppDeps(base, { jobs: appJobs, personalData: appPersonalData });
  subscribeWebhooks(deps.events);
  subscribeEmails(deps.events);
  subscribeLuna(deps.events);
  return deps;
}
