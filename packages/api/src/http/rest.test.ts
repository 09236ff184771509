import { compileErrors, validate } from '@readme/openapi-parser';
import createClient from 'openapi-fetch';
import openapiTS, { astToString, type OpenAPI3 } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expectPhoenixError,
  PASSWORD,
  signUp,
  startTestServer,
  type TestServer,
} from '../testing/index.ts';
import type { paths } from './rest-openapi.generated.ts';

/** The REST door as an outsider meets it: the published document and a client generated from it. */

let server: TestServer;
let document: OpenAPI3;

beforeAll(async () => {
  server = await startTestServer();
  const response = await fetch(`${server.url}/api/openapi.json`);
  expect(response.status).toBe(200);
  document = (await response.json()) as OpenAPI3;
});
afterAll(() => server.close());

const api = () => createClient<paths>({ baseUrl: `${server.url}/api` });
const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });
let counter = 0;
const freshEmail = () => `rest-${++counter}-${Date.now()}@example.com`;

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    // The validator dereferences in place: give it a copy.
    const result = await validate(structuredClone(document) as never);
    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
    expect(result.specification).toBe('OpenAPI');
    expect(document.openapi).toBe('3.1.0');
  });

  it('lists each opted-in procedure once, and no subscription or admin call', () => {
    const routes = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(routes).toEqual(
      expect.arrayContaining(['POST /auth/login', 'GET /auth/me', 'POST /gateway/chat']),
    );
    expect(routes.some((route) => /admin|Stream/i.test(route))).toBe(false);
  });

  it('matches the checked-in client types (regenerate with `vitest run -u` when it changed)', async () => {
    const types = astToString(await openapiTS(document));
    await expect(types).toMatchFileSnapshot('./rest-openapi.generated.ts');
  });

  it('is browsable at /docs', async () => {
    const response = await fetch(`${server.url}/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(await response.text()).toContain('/api/openapi.json');
  });
});

describe('a client generated from the document', () => {
  it('registers, signs in and reads its profile', async () => {
    const email = freshEmail();
    const registered = await api().POST('/auth/register', {
      body: { email, password: PASSWORD, displayName: 'Rest' },
    });
    expect(registered.response.status).toBe(200);
    expect(registered.data?.user.email).toBe(email);

    const login = await api().POST('/auth/login', { body: { email, password: PASSWORD } });
    const token = login.data?.token;
    expect(token).toEqual(expect.any(String));
    // Plain JSON, not superjson: dates are ISO strings.
    expect(login.data?.expiresAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);

    const me = await api().GET('/auth/me', bearer(token ?? ''));
    expect(me.data).toMatchObject({ email, displayName: 'Rest' });
  });

  it('creates and lists Kaizen actions, and records a Zazen session from an ISO date', async () => {
    const registered = await api().POST('/auth/register', {
      body: { email: freshEmail(), password: PASSWORD, displayName: 'Kaizen' },
    });
    const auth = bearer(registered.data?.token ?? '');
    const created = await api().POST('/rise/kaizen', {
      ...auth,
      body: { text: 'Walk ten minutes', date: '2026-11-29' },
    });
    expect(created.response.status).toBe(200);
    expect(created.data).toMatchObject({ text: 'Walk ten minutes', date: '2026-11-29' });

    const listed = await api().GET('/rise/kaizen', {
      ...auth,
      params: { query: { from: '2026-11-01', limit: 5 } },
    });
    expect(listed.data?.items.map((item) => item.text)).toEqual(['Walk ten minutes']);

    const recorded = await api().POST('/rise/zazen', {
      ...auth,
      body: { startedAt: '2026-11-29T07:00:00.000Z', durationSeconds: 600, trigger: 'routine' },
    });
    expect(recorded.response.status).toBe(200);
    expect(recorded.data?.startedAt).toBe('2026-11-29T07:00:00.000Z');
  });

  it('talks to Luna: a conversation, a message and its reply, the energy it cost', async () => {
    const registered = await api().POST('/auth/register', {
      body: { email: freshEmail(), password: PASSWORD, displayName: 'Luna' },
    });
    const auth = bearer(registered.data?.token ?? '');
    const started = await api().POST('/luna/conversations', { ...auth, body: { title: 'REST' } });
    const conversationId = started.data?.id ?? '';
    expect(conversationId).toMatch(/^[0-9a-f-]{36}$/);
    const sent = await api().POST('/luna/messages', {
      ...auth,
      body: { conversationId, content: 'I finished my first week of running' },
    });
    expect(sent.response.status).toBe(200);
    expect(sent.data?.reply.content.length).toBeGreaterThan(0);
    const history = await api().GET('/luna/conversations/{conversationId}/messages', {
      ...auth,
      params: { path: { conversationId } },
    });
    expect(history.data?.items).toHaveLength(2);
    const energy = await api().GET('/luna/energy', auth);
    expect(energy.data?.balance).toBe(sent.data?.energy.balance);
    expect(energy.data?.fullAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });
});

describe('refusals over REST keep the hub’s error shape', () => {
  it('answers a bad input with 400 naming the field, and the request id', async () => {
    const response = await fetch(`${server.url}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        email: freshEmail(),
        password: PASSWORD,
        displayName: 'x',
        timezone: 'UTC',
      }),
    });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body).toMatchObject({
      code: 'BAD_REQUEST',
      data: {
        code: 'BAD_REQUEST',
        httpStatus: 400,
        reason: 'VALIDATION_FAILED',
        path: 'auth.register',
        requestId: response.headers.get('x-request-id'),
        fieldErrors: [{ path: 'timezone', message: expect.stringContaining('timeZone') }],
      },
    });
    expect(body.message).toContain('timezone');
    expect(JSON.stringify(body)).not.toMatch(/stack|issues/);
  });

  it('answers a call without credentials with 401', async () => {
    const me = await api().GET('/auth/me');
    expect(me.response.status).toBe(401);
    expect(me.error).toMatchObject({
      code: 'UNAUTHORIZED',
      data: { code: 'UNAUTHORIZED', httpStatus: 401, reason: 'UNAUTHENTICATED' },
    });
  });

  it('answers a wrong password with 401 and malformed JSON with 400', async () => {
    const wrong = await api().POST('/auth/login', {
      body: { email: freshEmail(), password: 'not the password at all' },
    });
    expect(wrong.response.status).toBe(401);
    const malformed = await fetch(`${server.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"email":',
    });
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).data.reason).toBe('MALFORMED_JSON');
  });

  it('refuses a query key Object.prototype holds (constructor, __proto__) as unknown: 400, not 500', async () => {
    const user = await signUp(server, { label: 'rest-proto' });
    for (const key of ['constructor', '__proto__', 'toString']) {
      const response = await fetch(`${server.url}/api/rise/kaizen?${key}=1`, {
        headers: { authorization: `Bearer ${user.token}` },
      });
      expect(response.status, key).toBe(400);
      const body = (await response.json()) as { data: { fieldErrors: { path: string }[] } };
      expect(body.data.fieldErrors.map((f) => f.path)).toContain(key);
    }
  });

  it('answers an unknown route with 404 in the same shape', async () => {
    const response = await fetch(`${server.url}/api/no/such/route`);
    expect(response.status).toBe(404);
    expect((await response.json()).data).toMatchObject({ code: 'NOT_FOUND', httpStatus: 404 });
  });
});

describe('query strings over REST, strict inputs over tRPC', () => {
  const get = (path: string, token: string) =>
    fetch(`${server.url}/api${path}`, { headers: { authorization: `Bearer ${token}` } });

  it('reads numbers and dates from the query string, and refuses one that is not', async () => {
    const user = await signUp(server, { label: 'rest-query' });
    const listed = await get('/rise/kaizen?limit=5&order=asc', user.token);
    expect(listed.status).toBe(200);
    expect(await listed.json()).toEqual({ items: [], nextCursor: null });
    const since = await get('/rise/zazen?from=2026-11-01T00:00:00.000Z&limit=1', user.token);
    expect(since.status).toBe(200);

    for (const limit of ['abc', '5abc', '']) {
      const refused = await get(`/rise/kaizen?limit=${limit}`, user.token);
      expect(refused.status, `limit=${limit}`).toBe(400);
      const body = await refused.json();
      expect(body.data).toMatchObject({ reason: 'VALIDATION_FAILED', httpStatus: 400 });
      expect(body.data.fieldErrors.map((f: { path: string }) => f.path)).toEqual(['limit']);
    }
  });

  it('leaves the tRPC inputs strict after REST calls to the same procedures', async () => {
    const user = await signUp(server, { label: 'rest-strict' });
    const auth = bearer(user.token);
    // One REST call per converted kind: number and date from the query, date and boolean in bodies.
    expect(
      (await api().GET('/rise/kaizen', { ...auth, params: { query: { limit: 5 } } })).response
        .status,
    ).toBe(200);
    const zazen = await api().POST('/rise/zazen', {
      ...auth,
      body: { startedAt: '2026-11-29T07:00:00.000Z', durationSeconds: 600, trigger: 'routine' },
    });
    expect(zazen.response.status).toBe(200);
    const created = await api().POST('/rise/kaizen', {
      ...auth,
      body: { text: 'Stretch', date: '2026-11-29' },
    });
    const id = created.data?.id ?? '';
    const completed = await api().PUT('/rise/kaizen/{id}/completed', {
      ...auth,
      params: { path: { id } },
      body: { completed: true },
    });
    expect(completed.data?.completed).toBe(true);

    await expectPhoenixError(user.client.rise.kaizen.list.query({ limit: '5' } as never), {
      code: 'BAD_REQUEST',
      reason: 'VALIDATION_FAILED',
      field: 'limit',
    });
    await expectPhoenixError(
      user.client.rise.kaizen.setCompleted.mutate({ id, completed: 'false' } as never),
      { code: 'BAD_REQUEST', reason: 'VALIDATION_FAILED', field: 'completed' },
    );
    await expectPhoenixError(
      user.client.rise.zazen.record.mutate({
        startedAt: '2026-11-29T08:00:00.000Z',
        durationSeconds: 60,
        trigger: 'routine',
      } as never),
      { code: 'BAD_REQUEST', reason: 'VALIDATION_FAILED', field: 'startedAt' },
    );
    // Nor does a JSON body take text for a number: only the query string and path are text.
    const textInBody = await api().POST('/rise/zazen', {
      ...auth,
      body: {
        startedAt: '2026-11-29T09:00:00.000Z',
        durationSeconds: '60',
        trigger: 'routine',
      } as never,
    });
    expect(textInBody.response.status).toBe(400);
  });
});
