import { errorFromResponse } from './classify.ts';
import { ProviderError } from './provider-error.ts';

export interface PostOptions {
  provider: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  signal?: AbortSignal | undefined;
}

/**
 * POSTs JSON and returns a 2xx response; everything else becomes a ProviderError. An
 * aborted call rethrows the signal's reason, so the router can tell its own timeout
 * (a ProviderError it put there) from the caller hanging up.
 */
export async function postJson(options: PostOptions): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...options.headers },
      body: JSON.stringify(options.body),
      signal: options.signal ?? null,
    });
  } catch (error) {
    throw failure(options.provider, error, options.signal);
  }
  if (!response.ok) throw await errorFromResponse(options.provider, response);
  return response;
}

/** Reads a JSON body, classifying a cut connection or a garbled body. */
export async function readJson(
  provider: string,
  response: Response,
  signal?: AbortSignal,
): Promise<unknown> {
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    throw failure(provider, error, signal);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ProviderError({
      provider,
      kind: 'server',
      status: response.status,
      message: `${provider} sent a body that is not JSON`,
      cause: error,
    });
  }
}

/** The error to throw when the transport itself failed. */
export function failure(provider: string, error: unknown, signal?: AbortSignal): unknown {
  if (signal?.aborted) return signal.reason;
  if (error instanceof ProviderError) return error;
  return new ProviderError({
    provider,
    kind: 'network',
    message: `${provider} could not be reached: ${error instanceof Error ? error.message : String(error)}`,
    cause: error,
  });
}

export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path}`;
}
