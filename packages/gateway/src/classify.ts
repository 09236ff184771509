import type { ProviderResponse } from './http.ts';
import { ProviderError, type ProviderErrorKind } from './provider-error.ts';

/**
 * Milliseconds to wait from a `Retry-After` header (delta-seconds or an HTTP date), or
 * from OpenAI's `retry-after-ms`, which is more precise when present.
 */
export function parseRetryAfter(headers: Headers, now: number = Date.now()): number | undefined {
  const ms = headers.get('retry-after-ms');
  if (ms !== null && ms.trim() !== '' && Number.isFinite(Number(ms))) {
    return Math.max(0, Math.ceil(Number(ms)));
  }
  const value = headers.get('retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

interface ErrorBody {
  message: string;
  code: string;
}

/** Pulls a readable message and a machine code out of the error bodies each family sends. */
export function readErrorBody(text: string): ErrorBody {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { message: text.slice(0, 500), code: '' };
  }
  const root = asRecord(parsed);
  // OpenAI family and Anthropic nest under `error`; Gemini too, with a google.rpc status.
  const error = asRecord(root.error);
  const message = firstString(error.message, root.message, text.slice(0, 500));
  const details = Array.isArray(error.details) ? error.details.map(asRecord) : [];
  const code = firstString(
    details.find((d) => typeof d.reason === 'string')?.reason,
    error.code,
    error.type,
    error.status,
  );
  return { message, code };
}

function kindForStatus(
  status: number,
  code: string,
): { kind: ProviderErrorKind; retryable: boolean } {
  if (status === 401 || status === 403) return { kind: 'auth', retryable: false };
  if (status === 404) return { kind: 'not_found', retryable: false };
  if (status === 408) return { kind: 'timeout', retryable: true };
  if (status === 409) return { kind: 'unknown', retryable: true };
  // An exhausted quota is a 429 that waiting will not fix.
  if (status === 429) return { kind: 'rate_limited', retryable: code !== 'insufficient_quota' };
  // Gemini answers a bad key with 400 INVALID_ARGUMENT; it is still a key problem, not the caller's.
  if (status === 400 && code === 'API_KEY_INVALID') return { kind: 'auth', retryable: false };
  if (status === 400 || status === 413 || status === 422) {
    return { kind: 'bad_request', retryable: false };
  }
  if (status >= 500) return { kind: 'server', retryable: true };
  return { kind: 'unknown', retryable: false };
}

/** Turns a non-2xx provider response into a classified error; reads the body once. */
export async function errorFromResponse(
  provider: string,
  response: ProviderResponse,
): Promise<ProviderError> {
  const text = await response.text().catch(() => '');
  const body = readErrorBody(text);
  const { kind, retryable } = kindForStatus(response.status, body.code);
  return new ProviderError({
    provider,
    kind,
    retryable,
    status: response.status,
    retryAfterMs: parseRetryAfter(response.headers),
    message: `${provider} answered ${response.status}: ${body.message}`,
  });
}

export function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
}

function firstString(...values: unknown[]): string {
  for (const value of values) if (typeof value === 'string' && value !== '') return value;
  return '';
}
