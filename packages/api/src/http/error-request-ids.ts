/**
 * The request id of a failed call, for the error formatter: tRPC formats errors it raises
 * before creating the context (415 for a wrong content type or method, a body it cannot
 * read) with no context at all, and the formatter is given no request. Both doors report
 * every failure (`reportProcedureError`, their `onError`) before tRPC or trpc-to-openapi
 * formats it, and the report tags the error with its request here.
 *
 * Not an AsyncLocalStorage scope around every request, as it was: that cost every request
 * about 3 µs (bench/http) for the few that fail before their context exists.
 */
const requestIds = new WeakMap<Error, string>();

export function tagRequestId(error: Error, requestId: string): void {
  requestIds.set(error, requestId);
}

export const requestIdOfError = (error: Error): string | null => requestIds.get(error) ?? null;
