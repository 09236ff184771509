/**
 * The composition root: the one module that names every domain. It lists their routers,
 * plain HTTP routes and job kinds, and hands them to the core, which names none.
 */
import type { AppDeps } from './context.ts';
import { type BaseDeps, buildAppDeps } from './deps.ts';
import { auditRetentionJob } from './domains/admin/audit/retention-job.ts';
import { adminRouter } from './domains/admin/router.ts';
import { adminRoutes } from './domains/admin/routes.ts';
import { aubeRouter } from './domains/aube/router.ts';
import { sessionSweepJob } from './domains/auth/jobs.ts';
import { authRouter } from './domains/auth/router.ts';
import { applyBillingEventJob, billingGraceJob, billingRoutes } from './domains/billing/index.ts';
import { billingRouter } from './domains/billing/router.ts';
import { analyzeChampionJob, championsRouter, trainingRouter } from './domains/champion/index.ts';
import { emailRoutes, sendEmailJob, subscribeEmails } from './domains/email/index.ts';
import { abandonedCallsJob } from './domains/gateway/jobs.ts';
import { gatewayRouter } from './domains/gateway/router.ts';
import { gatewayRoutes } from './domains/gateway/routes.ts';
import { subscribeLuna } from './domains/luna/index.ts';
import { lunaRouter } from './domains/luna/router.ts';
import { riseRouter } from './domains/rise/router.ts';
import { systemRouter } from './domains/system/router.ts';
import { deliverWebhookJob, subscribeWebhooks } from './domains/webhooks/index.ts';
import type { PlainRoutes } from './http/plain-routes.ts';
import { restRoutes } from './http/rest.ts';
import type { JobDefinition } from './platform/jobs/index.ts';
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
  billing: billingRouter,
  champions: championsRouter,
  training: trainingRouter,
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
  ...billingRoutes,
  restRoutes(appRouter),
];

/** Every job kind the hub runs, registered in every process. */
export const appJobs: readonly JobDefinition[] = [
  sessionSweepJob,
  abandonedCallsJob,
  auditRetentionJob,
  deliverWebhookJob,
  sendEmailJob,
  applyBillingEventJob,
  billingGraceJob,
  analyzeChampionJob,
];

/**
 * Builds every long-lived service the procedures use, with the hub's job kinds and the
 * domains' event subscribers (registered in every process, so a delivery job finds its
 * handler wherever it runs).
 */
export function createAppDeps(base: BaseDeps): AppDeps {
  const deps = buildAppDeps(base, appJobs);
  subscribeWebhooks(deps.events);
  subscribeEmails(deps.events);
  subscribeLuna(deps.events);
  return deps;
}
