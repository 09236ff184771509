import { MemoryKv } from '@phoenix/kv';
import { createTestKv, type TestKv, testKvPrefix } from '@phoenix/kv/testing';
import { HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type CircuitOpened, createCircuitBreaker } from './breaker.ts';
import { openAiCompletion, openAiError } from './testing/payloads.ts';
import { manualClock, testRouter } from './testing/router.ts';

const server = setupServer();
let openaiCalls = 0;
beforeAll(() => {
  server.listen({ onUnhandledRequest: 'error' });
  server.events.on('request:start', () => {
    openaiCalls++;
  });
});
const stores: TestKv[] = [];
afterEach(async () => {
  server.resetHandlers();
  openaiCalls = 0;
  for (const kv of stores.splice(0)) await kv.close();
});
afterAll(() => server.close());

const OPENAI = 'https://api.openai.com/v1/chat/completions';
const ask = { messages: [{ role: 'user' as const, content: 'Hi' }] };
const route = {
  main: [
    { provider: 'openai', model: 'gpt-4o-mini' },
    { provider: 'offline', model: 'phoenix-offline-1' },
  ],
};
const breaker = { failureThreshold: 3, cooldownMs: 30_000, windowMs: 60_000 };

/** Two routers on one shared store and one clock, as two server processes would be. */
function twoProcesses() {
  const prefix = testKvPrefix();
  const kvA = createTestKv({ prefix });
  // Two clients of one Redis share keys by prefix; process memory can only be shared as one store.
  const kvB = kvA.kind === 'redis' ? createTestKv({ prefix }) : kvA;
  stores.push(...new Set([kvA, kvB]));
  const clock = manualClock();
  const options = { maxRetries: 0, now: clock.now, breaker };
  return {
    clock,
    a: testRouter(route, { kv: kvA, options }).router,
    b: testRouter(route, { kv: kvB, options }).router,
  };
}

const failing = () =>
  http.post(OPENAI, () => HttpResponse.json(openAiError('boom', 'server_error'), { status: 500 }));

const openaiState = async (router: ReturnType<typeof twoProcesses>['a']) =>
  (await router.snapshot()).find((p) => p.provider === 'openai');

describe('circuit breaker', () => {
  it('opens after N failures, skips while open, and one process probes when half-open', async () => {
    const { clock, a, b } = twoProcesses();
    server.use(failing());
    for (let i = 0; i < 3; i++) await a.chat('main', ask);
    expect(openaiCalls).toBe(3);
    expect(await openaiState(b)).toMatchObject({ state: 'open', failures: 3, errorRate: 1 });

    // Open: the other process skips the provider without calling it.
    const skipped = await b.chat('main', ask);
    expect(skipped.attempts[0]).toMatchObject({ provider: 'openai', status: 'skipped' });
    expect(skipped.result.provider).toBe('offline');
    expect(openaiCalls).toBe(3);

    // Half-open: exactly one probe across both processes.
    clock.advance(30_001);
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let probeStarted: () => void = () => {};
    const started = new Promise<void>((resolve) => {
      probeStarted = resolve;
    });
    server.use(
      http.post(OPENAI, async () => {
        probeStarted();
        await gate;
        return HttpResponse.json(openAiCompletion('recovered'));
      }),
    );
    const probe = a.chat('main', ask, { deadlineMs: 60_000 });
    await started;
    const duringProbe = await b.chat('main', ask);
    expect(duringProbe.attempts[0]).toMatchObject({ status: 'skipped' });
    expect(duringProbe.attempts[0]?.reason).toContain('half-open');
    release();
    expect((await probe).result.text).toBe('recovered');
    expect(openaiCalls).toBe(4);

    // Closed again for everyone.
    expect(await openaiState(b)).toMatchObject({ state: 'closed' });
    expect((await b.chat('main', ask)).result.text).toBe('recovered');
  });

  it('tells onCircuitOpen once per opening: not while open, not when a probe fails, again after it closed', async () => {
    const opened: CircuitOpened[] = [];
    const clock = manualClock();
    const kv = createTestKv();
    stores.push(kv);
    const { router } = testRouter(route, {
      kv,
      options: { maxRetries: 0, now: clock.now, breaker },
      onCircuitOpen: (event) => opened.push(event),
    });
    server.use(failing());
    for (let i = 0; i < 5; i++) await router.chat('main', ask);
    expect(opened).toEqual([
      { provider: 'openai', openedAt: clock.now(), openUntil: clock.now() + 30_000 },
    ]);
    clock.advance(30_001);
    await router.chat('main', ask); // the probe fails: still the same opening
    expect(opened).toHaveLength(1);

    clock.advance(30_001);
    server.use(http.post(OPENAI, () => HttpResponse.json(openAiCompletion('back'))));
    expect((await router.chat('main', ask)).result.text).toBe('back');
    server.use(failing());
    for (let i = 0; i < 3; i++) await router.chat('main', ask);
    expect(opened.map((e) => e.provider)).toEqual(['openai', 'openai']);
  });

  it('re-opens when the probe fails', async () => {
    const { clock, a, b } = twoProcesses();
    server.use(failing());
    for (let i = 0; i < 3; i++) await a.chat('main', ask);
    clock.advance(30_001);
    const probe = await b.chat('main', ask);
    expect(probe.attempts[0]).toMatchObject({ status: 'error' });
    const state = await openaiState(a);
    expect(state).toMatchObject({ state: 'open', openUntil: clock.now() + 30_000 });
    expect((await a.chat('main', ask)).attempts[0]).toMatchObject({ status: 'skipped' });
  });

  it('lets a Retry-After longer than the cool-down win, and never shortens it', async () => {
    const { clock, a } = twoProcesses();
    server.use(
      http.post(OPENAI, () =>
        HttpResponse.json(openAiError('Rate limit reached', 'rate_limit_error'), {
          status: 429,
          headers: { 'retry-after': '120' },
        }),
      ),
    );
    for (let i = 0; i < 3; i++) await a.chat('main', ask);
    const opened = clock.now();
    expect(await openaiState(a)).toMatchObject({ state: 'open', openUntil: opened + 120_000 });

    // Stragglers that fail later with a shorter wait do not bring the probe forward.
    clock.advance(10_000);
    await a.breaker.recordFailure('openai', { latencyMs: 5 });
    await a.breaker.recordFailure('openai', { latencyMs: 5, retryAfterMs: 1_000 });
    expect((await openaiState(a))?.openUntil).toBe(opened + 120_000);

    // After the plain cool-down it is still open; only after the Retry-After may a probe go.
    clock.advance(25_000);
    expect((await a.chat('main', ask)).attempts[0]).toMatchObject({ status: 'skipped' });
    clock.advance(90_000);
    server.use(http.post(OPENAI, () => HttpResponse.json(openAiCompletion('back'))));
    expect((await a.chat('main', ask)).result.text).toBe('back');
  });

  it('opens on a failure rate once enough requests were seen', async () => {
    const clock = manualClock();
    const cb = createCircuitBreaker({
      kv: new MemoryKv(),
      now: clock.now,
      options: { failureThreshold: 100, failureRate: 0.5, minimumRequests: 4 },
    });
    await cb.recordSuccess('p', { latencyMs: 100 });
    await cb.recordFailure('p', { latencyMs: 300 });
    expect((await cb.admit('p')).allowed).toBe(true);
    await cb.recordSuccess('p', { latencyMs: 200 });
    await cb.recordFailure('p', { latencyMs: 400 });
    expect(await cb.admit('p')).toMatchObject({ allowed: false, state: 'open' });
    const [health] = await cb.snapshot(['p']);
    expect(health).toMatchObject({
      state: 'open',
      requests: 4,
      failures: 2,
      errorRate: 0.5,
      avgLatencyMs: 250,
    });
  });

  it('forgets failures once they slide out of the window', async () => {
    const clock = manualClock();
    const cb = createCircuitBreaker({
      kv: new MemoryKv(),
      now: clock.now,
      options: { failureThreshold: 3, windowMs: 1_000 },
    });
    await cb.recordFailure('p', { latencyMs: 1 });
    await cb.recordFailure('p', { latencyMs: 1 });
    clock.advance(2_500);
    await cb.recordFailure('p', { latencyMs: 1 });
    expect((await cb.admit('p')).allowed).toBe(true);
  });

  it('trusts a closed read for closedStateCacheMs: another process opening is seen after it, its own opening at once', async () => {
    const clock = manualClock();
    const kv = new MemoryKv();
    const options = { failureThreshold: 1, closedStateCacheMs: 100 };
    const a = createCircuitBreaker({ kv, now: clock.now, options });
    const b = createCircuitBreaker({ kv, now: clock.now, options });
    expect((await a.admit('p')).allowed).toBe(true);
    expect((await b.admit('p')).allowed).toBe(true);

    // a trusted "closed" too, but its own opening replaces that at once.
    await a.recordFailure('p', { latencyMs: 1 });
    expect(await a.admit('p')).toMatchObject({ allowed: false, state: 'open' });
    // b read "closed" just now and trusts it for the rest of the window...
    expect((await b.admit('p')).allowed).toBe(true);
    // ...and reads again once it has passed.
    clock.advance(100);
    expect(await b.admit('p')).toMatchObject({ allowed: false, state: 'open' });

    // An open record is never kept: once a's probe closes it, b sees that on its next read.
    clock.advance(30_000);
    const probe = await a.admit('p');
    expect(probe).toMatchObject({ allowed: true, probe: expect.anything() });
    if (!probe.allowed) throw new Error('unreachable');
    await a.recordSuccess('p', { latencyMs: 1, probe: probe.probe });
    expect((await b.admit('p')).allowed).toBe(true);
  });

  it('reads the state of a closed circuit once for calls that arrive together', async () => {
    let reads = 0;
    class CountedReads extends MemoryKv {
      override get(key: string): Promise<string | null> {
        reads++;
        return super.get(key);
      }
    }
    const cb = createCircuitBreaker({ kv: new CountedReads(), now: manualClock().now });
    const admissions = await Promise.all([cb.admit('p'), cb.admit('p'), cb.admit('p')]);
    expect(admissions.every((admission) => admission.allowed)).toBe(true);
    expect(await cb.admit('p')).toMatchObject({ allowed: true });
    expect(reads).toBe(1);
  });

  it('never keeps a "closed" read that overlapped its own opening', async () => {
    const clock = manualClock();
    // The opening's write waits until released, so admissions can run while it is under way.
    let releaseWrite: () => void = () => {};
    const writeHeld = new Promise<void>((resolve) => {
      releaseWrite = resolve;
    });
    let writeStarted: () => void = () => {};
    const writing = new Promise<void>((resolve) => {
      writeStarted = resolve;
    });
    class SlowOpenWrites extends MemoryKv {
      override async set(...args: Parameters<MemoryKv['set']>): Promise<boolean> {
        if (args[0].endsWith(':open')) {
          writeStarted();
          await writeHeld;
        }
        return super.set(...args);
      }
    }
    const cb = createCircuitBreaker({
      kv: new SlowOpenWrites(),
      now: clock.now,
      options: { failureThreshold: 1, closedStateCacheMs: 100 },
    });
    const failing = cb.recordFailure('p', { latencyMs: 1 });
    await writing;
    // Read while the opening is being written: the record is not there yet...
    expect((await cb.admit('p')).allowed).toBe(true);
    releaseWrite();
    await failing;
    // ...and that read is not trusted afterwards.
    expect(await cb.admit('p')).toMatchObject({ allowed: false, state: 'open' });
  });
});
