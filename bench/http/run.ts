/**
 * bench/http: requests/s and p99 of a trivial public tRPC query through the full hub,
 * against raw node:http measured in the same run on the same machine. Target: the hub
 * reaches at least 45% of raw node:http's requests/s.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import autocannon from 'autocannon';

const TARGET_RATIO = 0.45;
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 32;
const PATH = '/trpc/system.version';

interface Sample {
  rps: number;
  p50: number;
  p99: number;
}

type Kind = 'raw' | 'trpc' | 'hub';

async function startTarget(kind: Kind): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [resolve(import.meta.dirname, 'target.ts'), kind], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [chunk] = (await once(child.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
  return { url: chunk.toString().trim(), child };
}

async function measure(kind: Kind): Promise<Sample> {
  const { url, child } = await startTarget(kind);
  try {
    // Warm up the JIT and connection pools before the measured run.
    await autocannon({ url: url + PATH, connections: CONNECTIONS, duration: 1 });
    const result = await autocannon({
      url: url + PATH,
      connections: CONNECTIONS,
      duration: DURATION_S,
    });
    if (result.non2xx > 0 || result.errors > 0)
      throw new Error(`${kind}: ${result.non2xx} non-2xx, ${result.errors} errors`);
    return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}

/** Median by throughput: one lucky or unlucky round on a shared machine does not decide. */
const median = (samples: Sample[]): Sample => {
  const sorted = [...samples].sort((a, b) => a.rps - b.rps);
  return sorted[Math.floor(sorted.length / 2)] as Sample;
};
const samples: Record<Kind, Sample[]> = { raw: [], trpc: [], hub: [] };
const kinds: Kind[] = ['raw', 'trpc', 'hub'];
console.log(
  `bench/http: GET ${PATH}, ${CONNECTIONS} connections, ${ROUNDS} rounds of ${DURATION_S}s, Node ${process.version}`,
);
for (let round = 1; round <= ROUNDS; round++) {
  // Interleave so drift in machine load hits every target alike.
  for (const kind of kinds) samples[kind].push(await measure(kind));
  console.log(
    `  round ${round}/${ROUNDS}: ${kinds.map((k) => `${k} ${Math.round(samples[k].at(-1)?.rps ?? 0)}`).join(', ')} req/s`,
  );
}
const r = median(samples.raw);
const f = median(samples.trpc);
const h = median(samples.hub);
const row = (s: Sample) => ({
  'req/s': Math.round(s.rps),
  'p50 ms': s.p50,
  'p99 ms': s.p99,
  'vs raw': `${((s.rps / r.rps) * 100).toFixed(1)}%`,
});
console.table({
  'raw node:http (baseline)': row(r),
  'Hono + tRPC, nothing else': row(f),
  'hub (full middleware)': row(h),
});
const ratio = h.rps / r.rps;
const verdict = ratio >= TARGET_RATIO ? 'PASS' : 'MISS';
console.log(
  `hub/raw throughput ratio: ${(ratio * 100).toFixed(1)}% (target >= ${TARGET_RATIO * 100}%) ${verdict}`,
);
console.log(
  `hub/(Hono + tRPC) ratio: ${((h.rps / f.rps) * 100).toFixed(1)}%: the cost of our own middleware`,
);
console.log(`hub/raw p99 ratio: ${(h.p99 / Math.max(r.p99, 1)).toFixed(2)}x`);
process.exitCode = verdict === 'PASS' ? 0 : 1;
