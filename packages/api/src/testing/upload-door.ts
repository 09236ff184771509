import { readdir } from 'node:fs/promises';
import type { UploadAnswer } from './held-upload.ts';
import type { TestServer } from './index.ts';

/** Every file a test server's storage folder holds, partial ones included. */
export async function storedFiles(server: TestServer): Promise<string[]> {
  const entries = await readdir(server.deps.config.storage.dir, {
    recursive: true,
    withFileTypes: true,
  }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => entry.name);
}

/** An upload door's in-flight gauge, as /metrics shows it. */
export async function uploadsInFlight(server: TestServer, route: string): Promise<number> {
  const { values } = await server.deps.metrics.uploadsInFlight.get();
  return values.find((value) => value.labels.route === route)?.value ?? 0;
}

/** Posts `file` as the form's `file` field (as `call.wav`) with `fields`, and reads the answer. */
export async function postUpload(options: {
  url: string;
  file: Uint8Array;
  headers?: Record<string, string>;
  fields?: Record<string, string>;
}): Promise<UploadAnswer> {
  const body = new FormData();
  for (const [key, value] of Object.entries(options.fields ?? {})) body.set(key, value);
  body.set('file', new Blob([new Uint8Array(options.file)]), 'call.wav');
  const response = await fetch(options.url, {
    method: 'POST',
    headers: options.headers ?? {},
    body,
  });
  return {
    status: response.status,
    retryAfter: response.headers.get('retry-after'),
    connection: response.headers.get('connection'),
    body: (await response.json()) as UploadAnswer['body'],
  };
}
