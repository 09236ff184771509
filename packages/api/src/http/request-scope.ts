import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The request id of the request being served, for the error formatter: tRPC formats
 * errors it raises before creating the context (415 for a wrong content type or method,
 * a body it cannot read) with no context at all, and the formatter is given no request.
 */
const scope = new AsyncLocalStorage<string>();

export const withRequestId = <T>(requestId: string, run: () => T): T => scope.run(requestId, run);

export const requestIdInScope = (): string | null => scope.getStore() ?? null;
