import { adminRouter } from './domains/admin/router.ts';
import { aubeRouter } from './domains/aube/router.ts';
import { authRouter } from './domains/auth/router.ts';
import { gatewayRouter } from './domains/gateway/router.ts';
import { riseRouter } from './domains/rise/router.ts';
import { systemRouter } from './domains/system/router.ts';
import { router } from './trpc.ts';

/** Each domain's procedures, by name. Plain records: their types carry no server context. */
export const procedures = {
  system: systemRouter,
  auth: authRouter,
  admin: adminRouter,
  gateway: gatewayRouter,
  rise: riseRouter,
  aube: aubeRouter,
};

export const appRouter = router(procedures);
