import type { AppRouter } from '@phoenix/api/client';
import {
  createTRPCClient,
  httpBatchLink,
  httpLink,
  httpSubscriptionLink,
  splitLink,
  type TRPCClient,
} from '@trpc/client';
import { EventSource } from 'eventsource';
import superjson from 'superjson';
import { UNBATCHED_PROCEDURES } from './unbatched.ts';

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
  /** Largest number of calls sent together in one HTTP request (the hub refuses more than its `TRPC_MAX_BATCH_SIZE`, 10 by default). */
  maxBatchSize?: number;
}

export type PhoenixClient = TRPCClient<AppRouter>;

// The options each client was made with, so helpers outside tRPC (uploads) send the same
// URL, credentials and headers.
const clientOptions = new WeakMap<object, PhoenixClientOptions>();

/** The options a client was created with (for plain HTTP helpers such as `uploadChampion`). */
export function optionsOf(client: PhoenixClient): PhoenixClientOptions | undefined {
  return clientOptions.get(client);
}

/** The headers every request of a client carries: its extra headers and its bearer token. */
export function authHeaders(options: PhoenixClientOptions): Record<string, string> {
  const all: Record<string, string> = { ...(options.headers ? read(options.headers) : {}) };
  const token = options.token === undefined ? undefined : read(options.token);
  if (token) all.authorization = `Bearer ${token}`;
  return all;
}

function read<T>(value: MaybeGetter<T>): T {
  return typeof value === 'function' ? (value as () => T)() : value;
}

/**
 * A typed client for every procedure of the hub. Queries and mutations are batched over
 * HTTP, except those that check a password (login, register, password changes), which the
 * hub wants one per request; subscriptions (e.g. `gateway.chatStream`) run over Server-Sent Events with the
 * same token and headers, through the `eventsource` package so they work in Node and
 * browsers alike (a browser's own EventSource cannot send an Authorization header).
 */
export function createPhoenixClient(options: PhoenixClientOptions): PhoenixClient {
  const url = `${options.url.replace(/\/+$/, '')}/trpc`;
  const { credentials } = options;
  const send = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const headers = (): Record<string, string> => authHeaders(options);
  const withCredentials = (init: RequestInit | undefined): RequestInit => ({
    ...init,
    ...(credentials ? { credentials } : {}),
  });
  const sendWithCredentials: typeof globalThis.fetch = (input, init) =>
    send(input, withCredentials(init));
  const client = createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({
          url,
          transformer: superjson,
          EventSource,
          eventSourceOptions: () => ({
            fetch: (input, init) =>
              send(input, withCredentials({ ...init, headers: { ...init.headers, ...headers() } })),
          }),
        }),
        false: splitLink({
          condition: (op) => UNBATCHED_PROCEDURES.has(op.path),
          true: httpLink({ url, transformer: superjson, headers, fetch: sendWithCredentials }),
          false: httpBatchLink({
            url,
            transformer: superjson,
            maxItems: options.maxBatchSize ?? 10,
            headers,
            fetch: sendWithCredentials,
          }),
        }),
      }),
    ],
  });
  clientOptions.set(client, options);
  return client;
}
