import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Config } from '@phoenix/config';
import type { HttpApp } from './app.ts';

export interface Listening {
  server: Server;
  port: number;
  address: string;
}

/**
 * Node's `requestTimeout` (how long a whole request may take to arrive) is one value for
 * the server, so it is the longest the hub takes: an upload's. Bodies held to
 * BODY_LIMIT_BYTES get the shorter HTTP_REQUEST_TIMEOUT_SECONDS from `limitBody`.
 */
export function requestTimeoutFor(config: Pick<Config, 'http' | 'media'>): number {
  return Math.max(config.http.requestTimeoutMs, config.media.uploadTimeoutMs);
}

/** Serves the app on node:http; port 0 picks a free port. */
export function listen(
  app: HttpApp,
  options: { host: string; port: number; maxHeaderSize?: number; requestTimeoutMs?: number },
): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const served = {
      fetch: app.fetch,
      hostname: options.host,
      port: options.port,
      serverOptions: {
        ...(options.maxHeaderSize ? { maxHeaderSize: options.maxHeaderSize } : {}),
        ...(options.requestTimeoutMs === undefined
          ? {}
          : { requestTimeout: options.requestTimeoutMs }),
      },
    };
    const server = serve(served, () => {
      const { port, address } = server.address() as AddressInfo;
      resolve({ server: server as Server, port, address });
    });
    server.once('error', reject);
  });
}
