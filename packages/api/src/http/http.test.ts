import { once } from 'node:events';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/index.ts';
import { rawRequest } from './raw-request.ts';

describe('HTTP surface', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      env: {
        BODY_LIMIT_BYTES: '2048',
        HTTP_REQUEST_TIMEOUT_SECONDS: '1',
        CORS_ORIGINS: 'https://app.example',
        TRUSTED_PROXIES: 'loopback',
      },
    });
  });
  afterAll(() => server.close());

  it('answers liveness and readiness', async () => {
    const live = await fetch(`${server.url}/healthz`);
    expect(live.status).toBe(200);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', database: { ok: true } });
  });

  it('returns a request id header, and keeps a well-formed one the caller sent', async () => {
    const generated = await fetch(`${server.url}/healthz`);
    expect(generated.headers.get('x-request-id')).toMatch(/^[\w-]{8,}$/);
    const echoed = await fetch(`${server.url}/healthz`, {
      headers: { 'x-request-id': 'trace-abc-123' },
    });
    expect(echoed.headers.get('x-request-id')).toBe('trace-abc-123');
    const trpc = await fetch(`${server.url}/trpc/system.version`, {
      headers: { 'x-request-id': 'trace-trpc-1' },
    });
    expect(trpc.headers.get('x-request-id')).toBe('trace-trpc-1');
    expect(trpc.headers.get('x-content-type-options')).toBe('nosniff');
    const hostile = await fetch(`${server.url}/healthz`, {
      headers: { 'x-request-id': 'bad id <script>' },
    });
    expect(hostile.headers.get('x-request-id')).not.toBe('bad id <script>');
  });

  it('exports Prometheus metrics, including tRPC calls', async () => {
    await server.client().system.version.query();
    const res = await fetch(`${server.url}/metrics`);
    const text = await res.text();
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    expect(text).toMatch(/phoenix_http_request_duration_seconds_bucket/);
    expect(text).toMatch(
      /phoenix_trpc_calls_total\{path="system.version",type="query",code="OK"\} \d+/,
    );
  });

  it('allows configured CORS origins only', async () => {
    const allowed = await fetch(`${server.url}/trpc/system.version`, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example', 'access-control-request-method': 'GET' },
    });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example');
    const denied = await fetch(`${server.url}/trpc/system.version`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(denied.headers.get('access-control-allow-origin')).toBeNull();
  });

  describe('bad input gets a clear 4xx with the stable error shape', () => {
    const errorOf = async (res: Response) => {
      const body = (await res.json()) as {
        error: { json: { message: string; data: Record<string, unknown> } };
      };
      return body.error.json;
    };

    it('unknown procedure: 404 NOT_FOUND', async () => {
      const res = await fetch(`${server.url}/trpc/system.nope`);
      expect(res.status).toBe(404);
      const error = await errorOf(res);
      expect(error.data).toMatchObject({ code: 'NOT_FOUND', httpStatus: 404 });
      expect(error.data.requestId).toBe(res.headers.get('x-request-id'));
    });

    it('malformed JSON to a mutation: 400 with reason MALFORMED_JSON', async () => {
      const res = await fetch(`${server.url}/trpc/auth.login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"json": ',
      });
      expect(res.status).toBe(400);
      const error = await errorOf(res);
      expect(error.data).toMatchObject({
        code: 'BAD_REQUEST',
        httpStatus: 400,
        reason: 'MALFORMED_JSON',
      });
      expect(error.message).toBe('Request body or input is not valid JSON');
      expect(JSON.stringify(error)).not.toMatch(/at .*\.(ts|js):\d+/);
    });

    it('invalid input: 400 naming each field, no stack, no SQL', async () => {
      const res = await fetch(`${server.url}/trpc/auth.login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ json: { email: 'nope', password: 42 } }),
      });
      expect(res.status).toBe(400);
      const error = await errorOf(res);
      expect(error.data).toMatchObject({ code: 'BAD_REQUEST', reason: 'VALIDATION_FAILED' });
      expect((error.data.fieldErrors as { path: string }[]).map((f) => f.path).sort()).toEqual([
        'email',
        'password',
      ]);
      expect(JSON.stringify(error)).not.toMatch(/stack|select |insert /i);
    });

    it('oversize body: 413 PAYLOAD_TOO_LARGE before the procedure runs', async () => {
      const res = await fetch(`${server.url}/trpc/system.version`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ json: 'x'.repeat(10_000) }),
      });
      expect(res.status).toBe(413);
      const error = await errorOf(res);
      expect(error.data).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', httpStatus: 413 });
      expect(error.message).toMatch(/2048 bytes/);
    });

    it('a chunked body (no Content-Length) is counted as it is read: 413 past the limit, read in full within it', async () => {
      const chunked = { 'content-type': 'application/json', 'transfer-encoding': 'chunked' };
      const over = await rawRequest(`${server.url}/trpc/auth.login`, {
        headers: chunked,
        body: JSON.stringify({ json: { email: 'x'.repeat(10_000), password: 'p' } }),
      });
      expect(over.status).toBe(413);
      expect(JSON.parse(over.body).error.json.data).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
      const within = await rawRequest(`${server.url}/trpc/auth.login`, {
        headers: chunked,
        body: JSON.stringify({ json: { email: 'nope', password: 42 } }),
      });
      expect(within.status).toBe(400);
      const fields = JSON.parse(within.body).error.json.data.fieldErrors as { path: string }[];
      expect(fields.map((f) => f.path).sort()).toEqual(['email', 'password']);
    });

    it('the REST door has the same limit: 413 in its own error shape', async () => {
      const res = await fetch(`${server.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'x'.repeat(10_000), password: 'p' }),
      });
      expect(res.status).toBe(413);
      expect(JSON.stringify(await res.json())).toMatch(/PAYLOAD_TOO_LARGE/);
    });

    it('a body that stops arriving is cut at HTTP_REQUEST_TIMEOUT_SECONDS: the connection closes, nothing runs', async () => {
      const socket = connect(Number(new URL(server.url).port), '127.0.0.1');
      await once(socket, 'connect');
      let received = '';
      socket.on('data', (chunk: Buffer) => {
        received += chunk.toString();
      });
      // Ten of the hundred bytes it declares, then silence.
      socket.write(
        'POST /trpc/auth.login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"json":{"',
      );
      await once(socket, 'close');
      expect(received).toBe('');
    }, 15_000);

    it('wrong content type: 415, never a 500', async () => {
      const res = await fetch(`${server.url}/trpc/system.version`, {
        method: 'POST',
        headers: { 'content-type': 'text/xml' },
        body: '<a/>',
      });
      expect(res.status).toBe(415);
      expect((await errorOf(res)).data).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    });

    it('unknown route outside tRPC: plain JSON 404', async () => {
      const res = await fetch(`${server.url}/nowhere`);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    });

    it('a query sent as POST: 405, not a 500', async () => {
      const res = await fetch(`${server.url}/trpc/system.version`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(res.status).toBe(405);
    });
  });
});
