import {
  createPhoenixClient,
  getErrorDetails,
  getFieldErrors,
  type RouterOutputs,
} from '@phoenix/sdk';
import { QueryClient } from '@tanstack/react-query';

/**
 * The hub that serves the console is the hub it talks to: same origin, so the session
 * cookie (httpOnly, SameSite=Lax) rides along and no token is ever kept in the page.
 */
export const client = createPhoenixClient({
  url: window.location.origin,
  credentials: 'same-origin',
});

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      refetchOnWindowFocus: false,
      // A refusal (4xx) is an answer, not a failure to retry.
      retry: (count, error) => {
        const status = getErrorDetails(error)?.httpStatus ?? 0;
        return status >= 500 && count < 2;
      },
    },
  },
});

/** The API's own words for a refusal: its message, and when to try again. */
export function errorText(error: unknown): string {
  const details = getErrorDetails(error);
  const message = error instanceof Error ? error.message : String(error);
  const fieldText = Object.entries(getFieldErrors(error))
    .map(([field, text]) => `${field}: ${text}`)
    .join('; ');
  const retry =
    details?.retryAfterSeconds !== undefined && details.retryAfterSeconds !== null
      ? ` (try again in ${details.retryAfterSeconds} s)`
      : '';
  return `${fieldText && fieldText !== message ? `${message} — ${fieldText}` : message}${retry}`;
}

export type Outputs = RouterOutputs;
