// Default imports, called through at request time: interceptors (msw) patch these modules' objects.
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { finished } from 'node:stream';
import { errorFromResponse } from './classify.ts';
import { ProviderError } from './provider-error.ts';

export interface PostOptions {
  provider: string;
  url: string;
  headers: Record<string, string>;
  body: unknown;
  signal?: AbortSignal | undefined;
}

/** What the adapters read of a provider's answer: the part `fetch`'s Response and ours share. */
export interface ProviderResponse {
  status: number;
  headers: Headers;
  text(): Promise<string>;
}

// Keep-alive connections per origin (the agents pool by host and port), shared by every adapter.
const agents = {
  'http:': new http.Agent({ keepAlive: true, scheduling: 'lifo' }),
  'https:': new https.Agent({ keepAlive: true, scheduling: 'lifo' }),
};

/**
 * POSTs JSON and returns a 2xx response; everything else becomes a ProviderError. An
 * aborted call rethrows the signal's reason, so the router can tell its own timeout
 * (a ProviderError it put there) from the caller hanging up.
 *
 * node:http on a keep-alive agent rather than `fetch`: a plain call is on the path of every
 * billed request, and under load undici's fetch (WHATWG Request and stream objects per call,
 * the body written apart from the head) was a tenth of the hub's CPU. msw intercepts both.
 */
export async function postJson(options: PostOptions): Promise<ProviderResponse> {
  let response: ProviderResponse;
  try {
    response = await send(options);
  } catch (error) {
    throw failure(options.provider, error, options.signal);
  }
  if (response.status < 200 || response.status > 299)
    throw await errorFromResponse(options.provider, response);
  return response;
}

/** Parsed provider URLs: a provider is called at the same few URLs, so each is parsed once. */
const parsedUrls = new Map<string, URL>();
const PARSED_URLS_KEPT = 64;

function parsedUrl(text: string): URL {
  let url = parsedUrls.get(text);
  if (!url) {
    url = new URL(text);
    if (parsedUrls.size >= PARSED_URLS_KEPT) parsedUrls.clear();
    parsedUrls.set(text, url);
  }
  return url;
}

function send(options: PostOptions): Promise<ProviderResponse> {
  const url = parsedUrl(options.url);
  const payload = JSON.stringify(options.body);
  const secure = url.protocol === 'https:';
  return new Promise((resolve, reject) => {
    const req = (secure ? https.request : http.request)(
      url,
      {
        method: 'POST',
        agent: agents[secure ? 'https:' : 'http:'],
        headers: {
          'content-type': 'application/json',
          ...options.headers,
          'content-length': Buffer.byteLength(payload),
        },
        ...(options.signal ? { signal: options.signal } : {}),
      },
      (res) => resolve(providerResponse(res)),
    );
    req.on('error', reject);
    // With the length known, the head and the body leave in one write.
    req.end(payload);
  });
}

function providerResponse(res: IncomingMessage): ProviderResponse {
  return new NodeProviderResponse(res);
}

/**
 * A provider's answer read from Node's response; its `Headers` are built only if asked for.
 * A class, not an object literal with `get headers()`: a getter in a literal is a new
 * function per call, which gives every object a hidden class of its own that keeps it (and
 * the response) alive until a full GC (see `createContext` in @phoenix/api).
 */
class NodeProviderResponse implements ProviderResponse {
  readonly status: number;
  readonly #res: IncomingMessage;
  #headers: Headers | undefined;

  constructor(res: IncomingMessage) {
    this.status = res.statusCode ?? 0;
    this.#res = res;
  }

  get headers(): Headers {
    if (!this.#headers) {
      const headers = new Headers();
      for (const [name, value] of Object.entries(this.#res.headers)) {
        if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
      }
      this.#headers = headers;
    }
    return this.#headers;
  }

  /** The body as text; a connection cut before its end fails it, as the body's error or a premature close. */
  text(): Promise<string> {
    const res = this.#res;
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      // Events rather than `for await`: an async iterator costs a promise and a result
      // object per chunk, on every billed call.
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      finished(res, (error) => {
        if (error) reject(error);
        else resolve(Buffer.concat(chunks).toString('utf8'));
      });
    });
  }
}

/** POSTs JSON for a streamed answer (server-sent events), through `fetch` for its body stream. */
export async function postForStream(options: PostOptions): Promise<Response> {
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
  response: ProviderResponse,
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

export interface SendOptions {
  provider: string;
  url: string;
  headers: Record<string, string>;
  /** A multipart form (OpenAI's `/audio/transcriptions`) or raw bytes (Deepgram's `/listen`). */
  body: FormData | Uint8Array;
  signal?: AbortSignal | undefined;
}

/** POSTs a form or raw bytes through `fetch` (which encodes multipart) for a 2xx response. */
export async function postBody(options: SendOptions): Promise<ProviderResponse> {
  let response: Response;
  try {
    response = await fetch(options.url, {
      method: 'POST',
      headers: options.headers,
      body: options.body as RequestInit['body'],
      signal: options.signal ?? null,
    });
  } catch (error) {
    throw failure(options.provider, error, options.signal);
  }
  if (!response.ok) throw await errorFromResponse(options.provider, response);
  return response;
}
