import { createServer, type Server, Socket } from 'node:net';

/**
 * - `pass`: bytes flow both ways.
 * - `refuse`: a new connection is reset as soon as it is accepted (a server that is down);
 *   open ones are left alone (call `resetAll` too for a crash).
 * - `blackhole`: connections are accepted and read, but nothing goes through either way
 *   (a server that stopped answering, a network partition). What was held is delivered
 *   when the mode goes back to `pass`, as TCP would once a partition heals.
 */
export type FaultMode = 'pass' | 'refuse' | 'blackhole';

export interface FaultProxy extends AsyncDisposable {
  /** `target` with its host and port replaced by the proxy's. */
  readonly url: string;
  mode: FaultMode;
  /** Connections with bytes held by the black hole (a request is blocked on one). */
  readonly blocked: number;
  /** Client connections open through the proxy (a pool's kept-alive sockets count). */
  readonly connections: number;
  /** Resets (TCP RST) every open connection on both sides, as a server restart would. */
  resetAll(): void;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  upstream: Socket;
  /** Bytes held while black-holed, per direction, delivered in order on `pass`. */
  held: { toUpstream: Buffer[]; toClient: Buffer[] };
}

/** A TCP proxy on 127.0.0.1 in front of `target` (a postgres:// or redis:// URL) whose faults a test sets. */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const targetUrl = new URL(target);
  const targetPort = Number(targetUrl.port);
  const pairs = new Set<Pair>();
  let mode: FaultMode = 'pass';

  const forward = (pair: Pair, direction: 'toUpstream' | 'toClient', chunk: Buffer) => {
    if (mode === 'blackhole') {
      pair.held[direction].push(chunk);
      return;
    }
    (direction === 'toUpstream' ? pair.upstream : pair.client).write(chunk);
  };

  const server: Server = createServer((client) => {
    if (mode === 'refuse') {
      client.on('error', () => {});
      client.resetAndDestroy();
      return;
    }
    const upstream = new Socket();
    const pair: Pair = { client, upstream, held: { toUpstream: [], toClient: [] } };
    pairs.add(pair);
    const drop = () => {
      pairs.delete(pair);
      if (!client.destroyed) client.destroy();
      if (!upstream.destroyed) upstream.destroy();
    };
    // A peer's reset reaches the other side as a reset, not as a clean close.
    client.on('error', () => upstream.destroyed || upstream.resetAndDestroy());
    upstream.on('error', () => client.destroyed || client.resetAndDestroy());
    client.on('close', drop);
    upstream.on('close', drop);
    client.on('data', (chunk: Buffer) => forward(pair, 'toUpstream', chunk));
    upstream.on('data', (chunk: Buffer) => forward(pair, 'toClient', chunk));
    upstream.connect(targetPort, targetUrl.hostname);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('fault proxy has no port');
  const proxied = new URL(target);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(address.port);

  const resetAll = () => {
    for (const pair of pairs) {
      pairs.delete(pair);
      pair.client.resetAndDestroy();
      pair.upstream.resetAndDestroy();
    }
  };
  const close = async () => {
    resetAll();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return {
    url: proxied.toString(),
    get mode() {
      return mode;
    },
    set mode(next: FaultMode) {
      mode = next;
      if (next === 'blackhole') return;
      for (const pair of pairs) {
        for (const chunk of pair.held.toUpstream.splice(0)) pair.upstream.write(chunk);
        for (const chunk of pair.held.toClient.splice(0)) pair.client.write(chunk);
      }
    },
    get blocked() {
      let count = 0;
      for (const { held } of pairs) if (held.toUpstream.length + held.toClient.length > 0) count++;
      return count;
    },
    get connections() {
      return pairs.size;
    },
    resetAll,
    close,
    [Symbol.asyncDispose]: close,
  };
}
