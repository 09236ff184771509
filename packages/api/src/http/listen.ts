import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { HttpApp } from './app.ts';

export interface Listening {
  server: Server;
  port: number;
  address: string;
}

/** Serves the app on node:http; port 0 picks a free port. */
export function listen(
  app: HttpApp,
  options: { host: string; port: number; maxHeaderSize?: number },
): Promise<Listening> {
  return new Promise((resolve, reject) => {
    const served = {
      fetch: app.fetch,
      hostname: options.host,
      port: options.port,
      ...(options.maxHeaderSize ? { serverOptions: { maxHeaderSize: options.maxHeaderSize } } : {}),
    };
    const server = serve(served, () => {
      const { port, address } = server.address() as AddressInfo;
      resolve({ server: server as Server, port, address });
    });
    server.once('error', reject);
  });
}
