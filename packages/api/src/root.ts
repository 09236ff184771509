import { systemRouter } from './domains/system/router.ts';
import { router } from './trpc.ts';

/** Each domain's procedures, by name. Plain records: their types carry no server context. */
export const procedures = {
  system: systemRouter,
};

export const appRouter = router(procedures);
