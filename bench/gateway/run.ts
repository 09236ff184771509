/**
 * bench/gateway: the hub's added latency and throughput against calling a local fake
 * provider directly, measured in the same run. Every hub call is authenticated by API
 * key, admitted by quotas, reserves and settles credits and writes the request log.
 * Latency is measured one request at a time (under load it would be queueing, which the
 * throughput phase shows); the hub's own x-phoenix-overhead-ms header is summarised too.
 * Targets on this machine: p50 added latency < 2 ms, p99 < 15 ms, throughput >= 50%.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { Agent, request } from 'node:http';
import { resolve } from 'node:path';
import autocannon from 'autocannon';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 5);
const SEQUENTIAL = Number(process.env.BENCH_SEQUENTIAL ?? 500);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 8);
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
        ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof6']
        : []),
      resolve(import.meta.dirname, file),
      ...args,
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: process.env,
    },
  );
  const [chunk] = (await once(child.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
  return { line: chunk.toString().trim(), child };
}

const percentile = (sorted: readonly number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;

/** One request at a time on one kept-alive connection: latency without queueing. */
async function sequential(url: string, key: string) {
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
  for (let i = 0; i < SEQUENTIAL; i++) runs.push(await post());
  agent.destroy();
  const ms = runs.map((r) => r.ms).sort((a, b) => a - b);
  const overhead = runs.map((r) => r.overheadMs).sort((a, b) => a - b);
  return {
    p50: percentile(ms, 0.5),
    p99: percentile(ms, 0.99),
    overheadP50: percentile(overhead, 0.5),
    overheadP99: percentile(overhead, 0.99),
  };
}

async function load(url: string, keys: readonly string[]) {
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
  await autocannon({ ...options, duration: 1 });
  const result = await autocannon({ ...options, duration: DURATION_S });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

async function measure(url: string, keys: readonly string[]) {
  return { alone: await sequential(url, keys[0] ?? ''), loaded: await load(url, keys) };
}

const provider = await start('fake-provider.ts');
const hub = await start('hub.ts', [provider.line]);
try {
  const { url, apiKeys } = JSON.parse(hub.line) as { url: string; apiKeys: string[] };
  console.log(
    `bench/gateway: POST /v1/chat/completions; latency over ${SEQUENTIAL} sequential requests, throughput with ${CONNECTIONS} connections for ${DURATION_S}s; Node ${process.version}; ${process.env.BENCH_DATABASE_URL ? 'Postgres' : 'PGlite'} + ${process.env.BENCH_REDIS_URL ? 'Redis' : 'memory kv'}`,
  );
  const direct = await measure(`${provider.line}/v1/chat/completions`, ['sk-bench']);
  const viaHub = await measure(`${url}/v1/chat/completions`, apiKeys);
  const added = {
    p50: viaHub.alone.p50 - direct.alone.p50,
    p99: viaHub.alone.p99 - direct.alone.p99,
  };
  const ratio = viaHub.loaded.rps / direct.loaded.rps;
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
  const verdicts = [
    [`added p50 latency ${added.p50.toFixed(2)} ms (target < 2 ms)`, added.p50 < 2],
    [`added p99 latency ${added.p99.toFixed(2)} ms (target < 15 ms)`, added.p99 < 15],
    [`throughput ratio ${(ratio * 100).toFixed(1)}% of direct (target >= 50%)`, ratio >= 0.5],
  ] as const;
  for (const [line, ok] of verdicts) console.log(`${ok ? 'PASS' : 'MISS'} ${line}`);
  process.exitCode = verdicts.every(([, ok]) => ok) ? 0 : 1;
} finally {
  for (const { child } of [hub, provider]) {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}
