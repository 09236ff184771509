/**
 * `@phoenix/sdk/react`: typed TanStack Query hooks for every procedure of the hub, on
 * `@trpc/tanstack-react-query`. Wrap the app once in `PhoenixProvider` (with a
 * `createPhoenixClient` client and a `QueryClient`), then in any component:
 *
 *   const phoenix = usePhoenix();
 *   const me = useQuery(phoenix.auth.me.queryOptions());
 *   const grant = useMutation(phoenix.gateway.admin.grantCredits.mutationOptions());
 */
import { createTRPCContext } from '@trpc/tanstack-react-query';
import type { AppRouter } from './index.ts';

/**
 * `PhoenixProvider` gives the components below it the client and the query client;
 * `usePhoenix()` returns query and mutation options, and query keys, for every procedure;
 * `usePhoenixClient()` the plain client given to the provider, for imperative calls.
 */
export const {
  TRPCProvider: PhoenixProvider,
  useTRPC: usePhoenix,
  useTRPCClient: usePhoenixClient,
} = createTRPCContext<AppRouter>();

export type { TRPCOptionsProxy as PhoenixOptionsProxy } from '@trpc/tanstack-react-query';
