import { DomainError } from '@phoenix/errors';
// From the file the SDK bundles, so its .d.ts never names the errors package.
import type { ErrorReason } from '@phoenix/errors/reasons';
import type { TRPC_ERROR_CODE_KEY, TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';

export interface FieldError {
  /** Dotted path of the input field, e.g. `profile.timeZone`; empty for the whole input. */
  path: string;
  message: string;
}

/** What every error carries to the client, beside `message`. No stack, SQL or secret. */
export interface PhoenixErrorData {
  code: TRPC_ERROR_CODE_KEY;
  httpStatus: number;
  path: string | null;
  requestId: string | null;
  /**
   * Stable machine-readable reason, e.g. `EMAIL_TAKEN` or `VALIDATION_FAILED`; null when
   * the code says it all (an internal error, an unknown route).
   */
  reason: ErrorReason | null;
  fieldErrors: FieldError[] | null;
  retryAfterSeconds: number | null;
}

export interface PhoenixErrorShape {
  message: string;
  code: number;
  data: PhoenixErrorData;
}

interface Issue {
  code?: string;
  path: readonly PropertyKey[];
  message: string;
  /** On zod's `unrecognized_keys`: the keys the input should not have had. */
  keys?: readonly string[];
}

function issuesOf(cause: unknown): Issue[] | null {
  if (cause && typeof cause === 'object' && 'issues' in cause && Array.isArray(cause.issues)) {
    return cause.issues as Issue[];
  }
  return null;
}

const dotted = (path: readonly PropertyKey[]) => path.map(String).join('.');

/** An unknown key is reported at the key itself (`timezone`), not at the object holding it. */
function fieldErrorsOfIssue(issue: Issue): FieldError[] {
  const { keys } = issue;
  if (issue.code !== 'unrecognized_keys' || !keys?.length)
    return [{ path: dotted(issue.path), message: issue.message }];
  return keys.map((key) => ({
    path: dotted([...issue.path, key]),
    message: keys.length === 1 ? issue.message : `unknown key "${key}"`,
  }));
}

export function fieldErrorsOf(cause: unknown): FieldError[] | null {
  const issues = issuesOf(cause);
  if (issues) return issues.flatMap(fieldErrorsOfIssue);
  if (cause instanceof DomainError && cause.field)
    return [{ path: cause.field, message: cause.message }];
  return null;
}

export function formatError(options: {
  error: TRPCError;
  shape: { message: string; code: number };
  path: string | undefined;
  requestId: string | null;
}): PhoenixErrorShape {
  const { error, shape, path, requestId } = options;
  const domain = error.cause instanceof DomainError ? error.cause : null;
  // An internal error says nothing of its cause: a result that failed its own output
  // schema is a server bug, and its zod paths would describe server data, not the input.
  const internal = error.code === 'INTERNAL_SERVER_ERROR';
  const fieldErrors = internal ? null : fieldErrorsOf(error.cause);
  let message = shape.message;
  let reason: ErrorReason | null = domain?.reason ?? (fieldErrors ? 'VALIDATION_FAILED' : null);
  if (internal) {
    message = `Internal server error${requestId ? ` (request ${requestId})` : ''}`;
    reason = null;
  } else if (
    error.cause instanceof SyntaxError &&
    (error.code === 'BAD_REQUEST' || error.code === 'PARSE_ERROR')
  ) {
    message = 'Request body or input is not valid JSON';
    reason = 'MALFORMED_JSON';
  } else if (fieldErrors && !domain) {
    message = `Invalid input: ${fieldErrors.map((f) => `${f.path || '(input)'}: ${f.message}`).join('; ')}`;
  }
  return {
    message,
    code: shape.code,
    data: {
      code: error.code,
      httpStatus: getHTTPStatusCodeFromError(error),
      path: path ?? null,
      requestId,
      reason,
      fieldErrors,
      retryAfterSeconds: domain?.retryAfterSeconds ?? null,
    },
  };
}
