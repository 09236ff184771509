import fc from 'fast-check';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appRouter } from '../root.ts';
import type { TestServer } from '../testing/index.ts';
import { signUp } from '../testing/index.ts';
import { leaksIn, startFuzzServer } from './answers.ts';
import { casesFor, inputsFor, type ZodLike } from './arbitraries.ts';

/**
 * Every query and mutation of the router, found by walking it (so a new procedure is
 * fuzzed without being listed), called over real HTTP with hostile inputs, as a plain
 * user and as an administrator, each fresh for every procedure so a logout or a password
 * change cannot spoil the next one. Whatever the input: never a 5xx, always the error
 * shape, never a stack or SQL. `FUZZ_SEED` / `FUZZ_RUNS` replay or deepen a run.
 */

const SEED = Number(process.env.FUZZ_SEED ?? 20261129);
const RUNS = Number(process.env.FUZZ_RUNS ?? 8);

interface Procedure {
  path: string;
  type: 'query' | 'mutation';
  input: ZodLike | undefined;
}

const procedures: Procedure[] = Object.entries(
  appRouter._def.procedures as unknown as Record<
    string,
    { _def: { type: string; inputs: ZodLike[] } }
  >,
).flatMap(([path, { _def }]) =>
  _def.type === 'query' || _def.type === 'mutation'
    ? [{ path, type: _def.type, input: _def.inputs[0] }]
    : [],
);

let server: TestServer;
let runs = 0;

/** superjson's envelope, or the bare value: a script writer may send either. */
function envelope(input: unknown, raw: boolean): unknown {
  if (raw) return input;
  try {
    return superjson.serialize(input);
  } catch {
    // superjson refuses to write `__proto__` keys; a hostile client does it by hand.
    return { json: input };
  }
}

async function send(p: Procedure, call: { input: unknown; token: string; raw: boolean }) {
  const { input, token, raw } = call;
  const payload = JSON.stringify(envelope(input, raw));
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const url = `${server.url}/trpc/${p.path}`;
  const response =
    p.type === 'mutation'
      ? await fetch(url, { method: 'POST', headers, body: payload ?? 'null' })
      : await fetch(`${url}?input=${encodeURIComponent(payload ?? 'null')}`, { headers });
  return { status: response.status, body: await response.text() };
}

/** Every reason an answer is not acceptable; empty when it is. */
function problems(answer: { status: number; body: string }): string[] {
  const found: string[] = [];
  if (answer.status >= 500) found.push(`status ${answer.status}`);
  if (answer.status < 400) return found;
  let data: { code?: unknown; httpStatus?: unknown; requestId?: unknown } | undefined;
  try {
    data = (JSON.parse(answer.body) as { error?: { json?: { data?: typeof data } } }).error?.json
      ?.data;
  } catch {
    found.push('error body is not JSON');
  }
  if (typeof data?.code !== 'string') found.push('no error.json.data.code');
  if (data?.httpStatus !== answer.status) found.push('httpStatus differs from the status');
  if (typeof data?.requestId !== 'string') found.push('no requestId');
  found.push(...leaksIn(answer.body));
  return found;
}

beforeAll(async () => {
  server = await startFuzzServer();
});
afterAll(async () => {
  await server.close();
  // A reader of a green run can see it fuzzed something.
  console.info(`fuzz: ${procedures.length} procedures, ${runs} calls, seed ${SEED}`);
});

describe('every procedure survives hostile input', () => {
  it('finds the procedures by walking the router', () => {
    expect(procedures.length).toBeGreaterThan(50);
    expect(procedures.filter((p) => p.input).length).toBeGreaterThan(30);
  });

  for (const p of procedures) {
    it(p.path, async () => {
      const user = await signUp(server, { label: 'fuzz' });
      const admin = await signUp(server, { label: 'fuzz-admin', role: 'admin' });
      const known = { uuids: [user.id, admin.id] };
      // Every field with every value known to hurt its kind; as the admin, who reaches
      // every procedure's service (a plain user stops at 403 on admin ones).
      for (const input of casesFor(p.input, known)) {
        runs++;
        const answer = await send(p, { input, token: admin.token, raw: false });
        const shown = `${JSON.stringify(input)?.slice(0, 300)}: ${answer.body.slice(0, 500)}`;
        expect(problems(answer), shown).toEqual([]);
      }
      await fc.assert(
        fc.asyncProperty(
          inputsFor(p.input, known),
          fc.boolean(),
          fc.constantFrom(user.token, admin.token),
          async (input, raw, token) => {
            runs++;
            const answer = await send(p, { input, token, raw });
            expect(problems(answer), answer.body.slice(0, 500)).toEqual([]);
          },
        ),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
    });
  }
});
