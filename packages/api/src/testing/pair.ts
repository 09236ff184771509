import { createTestDatabase } from '@phoenix/db/testing';
import { createTestKv } from '@phoenix/kv/testing';
import { startTestServer, type TestServer, type TestServerOptions } from './index.ts';

export interface ServerPair extends AsyncDisposable {
  first: TestServer;
  second: TestServer;
  close(): Promise<void>;
}

/** Two server instances over one database and one kv store: two processes behind a balancer. */
export async function startServerPair(env: TestServerOptions['env'] = {}): Promise<ServerPair> {
  const database = await createTestDatabase();
  const kv = createTestKv();
  const first = await startTestServer({ database, kv, env });
  const second = await startTestServer({ database, kv, env });
  const close = async () => {
    await first.close();
    await second.close();
    await kv.close();
    await database.close();
  };
  return { first, second, close, [Symbol.asyncDispose]: close };
}
