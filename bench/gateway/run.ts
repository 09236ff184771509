/**
 * bench/gateway: the hub's added latency and throughput against calling a local fake
 * provider directly, measured in the same run. Every hub call is authenticated by API
 * key, admitted by quotas, reserves and settles credits and writes the request log.
 * Targets on this machine: p50 added latency < 2 ms, p99 < 15 ms, throughput >= 50%.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import autocannon from 'autocannon';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 5);
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

const provider = await start('fake-provider.ts');
const hub = await start('hub.ts', [provider.line]);
try {
  const { url, apiKeys } = JSON.parse(hub.line) as { url: string; apiKeys: string[] };
  console.log(
    `bench/gateway: POST /v1/chat/completions, ${CONNECTIONS} connections, ${DURATION_S}s, Node ${process.version}`,
  );
  const direct = await load(`${provider.line}/v1/chat/completions`, ['sk-bench']);
  const viaHub = await load(`${url}/v1/chat/completions`, apiKeys);
  const added = { p50: viaHub.p50 - direct.p50, p99: viaHub.p99 - direct.p99 };
  const ratio = viaHub.rps / direct.rps;
  console.table({
    'direct to provider (baseline)': {
      'req/s': Math.round(direct.rps),
      'p50 ms': direct.p50,
      'p99 ms': direct.p99,
    },
    'through the hub': {
      'req/s': Math.round(viaHub.rps),
      'p50 ms': viaHub.p50,
      'p99 ms': viaHub.p99,
    },
  });
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
