import type { AppRouter } from '@phoenix/api/client';
import { createTRPCClient, httpBatchLink, type TRPCClient } from '@trpc/client';
import superjson from 'superjson';

type MaybeGetter<T> = T | (() => T);

export interface PhoenixClientOptions {
  /** Base URL of the hub, e.g. `https://hub.example.com` (the `/trpc` path is added). */
  url: string;
  /**
   * Session token or API key, sent as `Authorization: Bearer …`. A function is read on
   * every request, so a rotated token is picked up without a new client.
   */
  token?: MaybeGetter<string | null | undefined>;
  /** Extra headers on every request. */
  headers?: MaybeGetter<Record<string, string>>;
  /** Custom fetch (tests, proxies, older runtimes). */
  fetch?: typeof globalThis.fetch;
  /** Cookies and credentials for browser use against another origin. */
  credentials?: 'omit' | 'same-origin' | 'include';
  /** Largest number of calls sent together in one HTTP request. */
  maxBatchSize?: number;
}

export type PhoenixClient = TRPCClient<AppRouter>;

function read<T>(value: MaybeGetter<T>): T {
  return typeof value === 'function' ? (value as () => T)() : value;
}

/** A typed client for every procedure of the hub. */
export function createPhoenixClient(options: PhoenixClientOptions): PhoenixClient {
  const url = `${options.url.replace(/\/+$/, '')}/trpc`;
  const customFetch = options.fetch;
  const credentials = options.credentials;
  return createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({
        url,
        transformer: superjson,
        maxItems: options.maxBatchSize ?? 10,
        headers: () => {
          const headers: Record<string, string> = {
            ...(options.headers ? read(options.headers) : {}),
          };
          const token = options.token === undefined ? undefined : read(options.token);
          if (token) headers.authorization = `Bearer ${token}`;
          return headers;
        },
        ...(customFetch || credentials
          ? {
              fetch: (input, init) =>
                (customFetch ?? globalThis.fetch)(input, {
                  ...(init as RequestInit),
                  ...(credentials ? { credentials } : {}),
                }),
            }
          : {}),
      }),
    ],
  });
}
