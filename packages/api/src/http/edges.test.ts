import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/index.ts';
import { Agent, type RawAnswer, rawRequest } from './raw-request.ts';

const LIMIT = 1_048_576;
const BODY = Buffer.from(JSON.stringify({ json: { x: 'x'.repeat(600_000) } }));
const TRIES = 20;

let server: TestServer;
let small: TestServer;
beforeAll(async () => {
  server = await startTestServer({ env: { BODY_LIMIT_BYTES: String(LIMIT) } });
  small = await startTestServer({ env: { BODY_LIMIT_BYTES: '2048' } });
});
afterAll(async () => {
  await server.close();
  await small.close();
});

const json = { 'content-type': 'application/json' };
const errorData = (answer: RawAnswer) =>
  (JSON.parse(answer.body) as { error: { json: { data: Record<string, unknown> } } }).error.json
    .data;

/** TRIES requests on one kept-alive agent, then a follow-up on it: every answer complete. */
async function hammer(url: string, headers: Record<string, string>) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const answers: RawAnswer[] = [];
  try {
    for (let i = 0; i < TRIES; i++)
      answers.push(await rawRequest(url, { body: BODY, headers, agent }));
    answers.push(
      await rawRequest(url.replace(/\/trpc\/.*|\/v1\/.*/, '/healthz'), { method: 'GET', agent }),
    );
  } finally {
    agent.destroy();
  }
  return answers;
}

describe('HTTP edges', () => {
  it('a 415 (wrong or missing content type, DELETE) carries the request id', async () => {
    const cases: [string, Record<string, string>][] = [
      ['POST', { 'content-type': 'text/xml' }],
      ['POST', {}],
      ['DELETE', {}],
    ];
    for (const [method, headers] of cases) {
      const answer = await rawRequest(`${server.url}/trpc/auth.logout`, {
        method,
        headers: { ...headers, 'x-request-id': `edge-${method}` },
        body: method === 'DELETE' ? undefined : '<a/>',
      });
      expect(answer.status).toBe(415);
      expect(errorData(answer)).toMatchObject({
        code: 'UNSUPPORTED_MEDIA_TYPE',
        requestId: `edge-${method}`,
      });
    }
  });

  it('a 413 closes the connection cleanly: Connection: close, full answer, no reset', async () => {
    const answers = await hammer(`${small.url}/trpc/auth.logoutAll`, json);
    const refusals = answers.slice(0, TRIES);
    for (const answer of refusals) {
      expect(answer.error).toBeNull();
      expect(answer.status).toBe(413);
      expect(answer.headers.connection).toBe('close');
      expect(errorData(answer)).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    }
    expect(answers.at(-1)).toMatchObject({ status: 200, error: null });
  });

  it('a procedure that refuses before reading a 600 KB body still answers in full, every time', async () => {
    const answers = await hammer(`${server.url}/trpc/auth.logoutAll`, json);
    for (const answer of answers.slice(0, TRIES)) {
      expect(answer.error).toBeNull();
      expect(answer.status).toBe(401);
      expect(errorData(answer)).toMatchObject({ code: 'UNAUTHORIZED' });
    }
    expect(answers.at(-1)).toMatchObject({ status: 200, error: null });
  });

  it('the OpenAI door answers an unread or oversize body in full too', async () => {
    const unread = await hammer(`${server.url}/v1/chat/completions`, json);
    for (const answer of unread.slice(0, TRIES))
      expect(answer).toMatchObject({ status: 401, error: null });
    const oversize = await hammer(`${small.url}/v1/chat/completions`, {
      ...json,
      authorization: 'Bearer phx_x_y',
    });
    for (const answer of oversize.slice(0, TRIES)) {
      expect(answer).toMatchObject({ status: 413, error: null });
      expect(JSON.parse(answer.body)).toMatchObject({ error: { type: 'invalid_request_error' } });
    }
  });
});
