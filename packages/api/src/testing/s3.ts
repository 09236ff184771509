import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';

export interface TestS3Server extends AsyncDisposable {
  /** `http://127.0.0.1:<port>`, for S3_ENDPOINT (with S3_FORCE_PATH_STYLE=true). */
  endpoint: string;
  bucket: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Environment that points the hub's storage at this server. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export interface TestS3ServerOptions {
  bucket?: string;
  /**
   * Keep idle client connections open until the client closes them (Node's server ends
   * them after 5 s otherwise): a test can then see whether the client lets go of its own.
   */
  keepIdleConnections?: boolean;
}

/** A real S3-compatible server (s3rver) on a free port, its bucket in a temporary folder. */
export async function startTestS3Server(options: TestS3ServerOptions = {}): Promise<TestS3Server> {
  const bucket = options.bucket ?? 'phoenix-test';
  const directory = await mkdtemp(join(tmpdir(), 'phoenix-s3-'));
  const server = new S3rver({
    port: 0,
    address: '127.0.0.1',
    silent: true,
    directory,
    configureBuckets: [{ name: bucket, configs: [] }],
  });
  const address = await server.run();
  if (options.keepIdleConnections) {
    // s3rver's own node:http server (untyped): 0 turns its idle keep-alive timeout off.
    const http = (server as unknown as { httpServer: Server }).httpServer;
    http.keepAliveTimeout = 0;
  }
  const endpoint = `http://127.0.0.1:${address.port}`;
  // s3rver accepts any signature made with its fixed key pair.
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  const close = async () => {
    await server.close();
    await rm(directory, { recursive: true, force: true });
  };
  return {
    endpoint,
    bucket,
    credentials,
    env: {
      STORAGE_URL: `s3://${bucket}`,
      S3_ENDPOINT: endpoint,
      S3_ACCESS_KEY_ID: credentials.accessKeyId,
      S3_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      S3_FORCE_PATH_STYLE: 'true',
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
