/**
 * bench/gateway: the hub's added latency and throughput against calling a local fake
 * provider directly, measured in the same run. Every hub call is authenticated by API
 * key, admitted by quotas, reserves and settles credits and writes the request log.
 * Latency is measured one request at a time (under load it would be queueing, which the
 * throughput phase shows); the hub's own x-phoenix-overhead-ms header is summarised too.
 * The hub's CPU time per billed call is read from /proc around the loaded phase, and its
 * throughput is compared with its own trivial query (`system.version`) in the same run.
 * Goals (issue 18): <= 0.6 ms hub CPU per billed call, >= 1,400 calls/s, >= 0.4 of the
 * trivial query's throughput, added latency p50 <= 2.5 ms and p99 <= 10 ms.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { Agent, request } from 'node:http';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { cpuMs, ioSyscalls } from '../proc.ts';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 5);
const SEQUENTIAL = Number(process.env.BENCH_SEQUENTIAL ?? 500);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
// The direct baseline and the billed calls are each driven this long before anything is
// measured, so what is measured is a running server's steady state, not the JIT still
// compiling (a billed call's first ten seconds cost the hub half again as much CPU as the
// ones after). The trivial query runs last, on a hub the billed calls already warmed, and
// gets at most 2 s more.
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 10);
const body = JSON.stringify({
  model: 'chat.bench',
  messages: [
    { role: 'user', content: 'Summarise the benefits of daily practice in one sentence.' },
  ],
  max_tokens: 64,
});

async function start(
  file: string,
  args: string[] = [],
): Promise<{ line: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_PROFILE && file === 'hub.ts'
        ? [
            '--cpu-prof',
            `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR ?? '/tmp/phoenix-bench-profiles'}`,
          ]
        : []),
      // Node flags for the hub alone, e.g. `--trace-gc` (its output goes to stderr below).
      ...(file === 'hub.ts' ? (process.env.BENCH_HUB_FLAGS?.split(' ').filter(Boolean) ?? []) : []),
      resolve(import.meta.dirname, file),
      ...args,
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: process.env,
    },
  );
  // The ready line is the first that starts with `{` or `http`; anything else (V8's traces
  // from BENCH_HUB_FLAGS print to stdout) goes to stderr, so a full pipe never blocks it.
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const line = await new Promise<string>((resolveLine, reject) => {
    child.once('exit', (code) => reject(new Error(`${file} exited (${code}) before it was ready`)));
    let ready = false;
    lines.on('line', (text) => {
      if (!ready && /^(\{|http)/.test(text)) {
        ready = true;
        resolveLine(text.trim());
      } else process.stderr.write(`${text}\n`);
    });
  });
  return { line, child };
}

/** Published by their authors on other hardware; printed for scale, never measured here. */
const PUBLISHED = [
  {
    gateway: 'LiteLLM proxy, 4 instances x 4 vCPU, fake OpenAI endpoint',
    figure: 'overhead p50 2 ms, p95 8 ms, p99 13 ms at 1,170 req/s',
    source: 'https://docs.litellm.ai/docs/benchmarks',
  },
  {
    gateway: 'LiteLLM proxy vs raw OpenAI API',
    figure: 'adds 3.25 ms latency',
    source: 'https://docs.litellm.ai/docs/proxy/perf',
  },
  {
    gateway: 'Bifrost (Go), t3.xlarge 4 vCPU / t3.medium 2 vCPU, mocked OpenAI',
    figure:
      'overhead 11 µs / 59 µs mean at 5,000 req/s (excluding JSON marshalling and the provider call)',
    source: 'https://www.getmaxim.ai/docs/bifrost/overview/benchmarks',
  },
] as const;

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;

/** One request at a time on one kept-alive connection: latency without queueing. */
async function sequential(url: string, key: string, pid?: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const post = () =>
    new Promise<{ ms: number; overheadMs: number }>((resolvePost, reject) => {
      const started = performance.now();
      const req = request(
        url,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        },
        (res) => {
          if (res.statusCode !== 200) reject(new Error(`${url}: HTTP ${res.statusCode}`));
          res.resume();
          res.on('end', () =>
            resolvePost({
              ms: performance.now() - started,
              overheadMs: Number(res.headers['x-phoenix-overhead-ms'] ?? Number.NaN),
            }),
          );
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  for (let i = 0; i < 50; i++) await post();
  const runs: { ms: number; overheadMs: number }[] = [];
  const ioBefore = ioSyscalls(pid);
  for (let i = 0; i < SEQUENTIAL; i++) runs.push(await post());
  const ioAfter = ioSyscalls(pid);
  agent.destroy();
  const ms = runs.map((r) => r.ms).sort((a, b) => a - b);
  const overhead = runs.map((r) => r.overheadMs).sort((a, b) => a - b);
  return {
    p50: percentile(ms, 0.5),
    p99: percentile(ms, 0.99),
    overheadP50: percentile(overhead, 0.5),
    overheadP99: percentile(overhead, 0.99),
    readsPerCall: (ioAfter.reads - ioBefore.reads) / SEQUENTIAL,
    writesPerCall: (ioAfter.writes - ioBefore.writes) / SEQUENTIAL,
  };
}

async function load(url: string, keys: readonly string[], pid?: number) {
  let next = 0;
  const options = {
    url,
    method: 'POST' as const,
    body,
    connections: CONNECTIONS,
    // Each connection authenticates as its own user, as real traffic spreads over balances.
    setupClient: (client: autocannon.Client) => {
      client.setHeaders({
        'content-type': 'application/json',
        authorization: `Bearer ${keys[next++ % keys.length]}`,
      });
    },
  };
  await autocannon({ ...options, duration: WARMUP_S });
  const cpuBefore = cpuMs(pid);
  const ioBefore = ioSyscalls(pid);
  const result = await autocannon({ ...options, duration: DURATION_S });
  const cpu = cpuMs(pid) - cpuBefore;
  const ioAfter = ioSyscalls(pid);
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    cpuMsPerCall: cpu / result.requests.total,
    readsPerCall: (ioAfter.reads - ioBefore.reads) / result.requests.total,
    writesPerCall: (ioAfter.writes - ioBefore.writes) / result.requests.total,
  };
}

/** Loaded first: its warm-up warms the code the sequential calls then run. */
async function measure(url: string, keys: readonly string[], pid?: number) {
  const loaded = await load(url, keys, pid);
  return { alone: await sequential(url, keys[0] ?? '', pid), loaded };
}

/** The hub's trivial public query, same connections: the ceiling a billed call is held to. */
async function trivialQuery(url: string) {
  const options = { url: `${url}/trpc/system.version`, connections: CONNECTIONS };
  await autocannon({ ...options, duration: Math.min(WARMUP_S, 2) });
  const result = await autocannon({ ...options, duration: DURATION_S });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result.requests.average;
}

const provider = await start('fake-provider.ts');
const hub = await start('hub.ts', [provider.line]);
try {
  const { url, apiKeys } = JSON.parse(hub.line) as { url: string; apiKeys: string[] };
  console.log(
    `bench/gateway: POST /v1/chat/completions; latency over ${SEQUENTIAL} sequential requests, throughput with ${CONNECTIONS} connections for ${DURATION_S}s after ${WARMUP_S}s of warm-up; Node ${process.version}; ${process.env.BENCH_DATABASE_URL ? 'Postgres' : 'PGlite'} + ${process.env.BENCH_REDIS_URL ? 'Redis' : 'memory kv'}`,
  );
  const direct = await measure(`${provider.line}/v1/chat/completions`, ['sk-bench']);
  const viaHub = await measure(`${url}/v1/chat/completions`, apiKeys, hub.child.pid);
  const trivialRps = await trivialQuery(url);
  const added = {
    p50: viaHub.alone.p50 - direct.alone.p50,
    p99: viaHub.alone.p99 - direct.alone.p99,
  };
  const ratio = viaHub.loaded.rps / trivialRps;
  const row = (m: Awaited<ReturnType<typeof measure>>) => ({
    'p50 ms (alone)': m.alone.p50.toFixed(2),
    'p99 ms (alone)': m.alone.p99.toFixed(2),
    'req/s (loaded)': Math.round(m.loaded.rps),
    'p50 ms (loaded)': m.loaded.p50,
    'p99 ms (loaded)': m.loaded.p99,
  });
  console.table({
    'direct to provider (baseline)': row(direct),
    'through the hub': row(viaHub),
  });
  console.log(
    `hub's own x-phoenix-overhead-ms: p50 ${viaHub.alone.overheadP50.toFixed(2)}, p99 ${viaHub.alone.overheadP99.toFixed(2)}`,
  );
  console.log(
    `hub's trivial query (system.version) in this run: ${Math.round(trivialRps)} req/s; hub CPU per billed call ${viaHub.loaded.cpuMsPerCall.toFixed(3)} ms; load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  console.log(
    `hub system calls per billed call (far steadier than CPU time on a shared machine): sent one at a time ${viaHub.alone.readsPerCall.toFixed(1)} reads + ${viaHub.alone.writesPerCall.toFixed(1)} writes; under load ${viaHub.loaded.readsPerCall.toFixed(1)} + ${viaHub.loaded.writesPerCall.toFixed(1)}`,
  );
  console.log('Other gateways, published by their authors (published, not measured here):');
  for (const p of PUBLISHED) console.log(`  ${p.gateway}: ${p.figure} (${p.source})`);
  const verdicts = [
    [
      `hub CPU per billed call ${viaHub.loaded.cpuMsPerCall.toFixed(3)} ms (goal <= 0.6 ms)`,
      viaHub.loaded.cpuMsPerCall <= 0.6,
    ],
    [
      `billed calls ${Math.round(viaHub.loaded.rps)}/s (goal >= 1,400/s)`,
      viaHub.loaded.rps >= 1400,
    ],
    [`billed calls / trivial query throughput ${ratio.toFixed(2)} (goal >= 0.4)`, ratio >= 0.4],
    [`added p50 latency ${added.p50.toFixed(2)} ms (goal <= 2.5 ms)`, added.p50 <= 2.5],
    [`added p99 latency ${added.p99.toFixed(2)} ms (goal <= 10 ms)`, added.p99 <= 10],
  ] as const;
  for (const [line, ok] of verdicts) console.log(`${ok ? 'PASS' : 'MISS'} ${line}`);
  process.exitCode = verdicts.every(([, ok]) => ok) ? 0 : 1;
} finally {
  for (const { child } of [hub, provider]) {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}
