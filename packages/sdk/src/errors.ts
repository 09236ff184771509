import type { AppRouter, ErrorReason, FieldError, PhoenixErrorData } from '@phoenix/api/client';
import { TRPCClientError } from '@trpc/client';

export type PhoenixErrorCode = PhoenixErrorData['code'];
export type PhoenixClientError = TRPCClientError<AppRouter>;

/** True when a call failed with an answer from the hub (not a network failure). */
export function isPhoenixError(error: unknown): error is PhoenixClientError {
  return error instanceof TRPCClientError && error.data != null;
}

/** The hub's error code (`UNAUTHORIZED`, `BAD_REQUEST`, …), or undefined for other errors. */
export function getErrorCode(error: unknown): PhoenixErrorCode | undefined {
  return isPhoenixError(error) ? error.data?.code : undefined;
}

/**
 * The hub's stable reason (`EMAIL_TAKEN`, `LOGIN_LOCKED`, …), or undefined for other
 * errors and for errors whose code says it all. A union: `switch` on it exhaustively.
 */
export function getErrorReason(error: unknown): ErrorReason | undefined {
  return (isPhoenixError(error) && error.data?.reason) || undefined;
}

/** Everything the hub said about a failed call, or undefined for other errors. */
export function getErrorDetails(
  error: unknown,
): (PhoenixErrorData & { message: string }) | undefined {
  if (!isPhoenixError(error) || !error.data) return undefined;
  return { ...error.data, message: error.message };
}

/** Per-field messages for a validation failure, keyed by dotted field path. */
export function getFieldErrors(error: unknown): Record<string, string> {
  const fields: FieldError[] = (isPhoenixError(error) && error.data?.fieldErrors) || [];
  return Object.fromEntries(fields.map((f) => [f.path, f.message]));
}
