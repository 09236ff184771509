/**
 * The benchmarks in a short mode, for CI: each runs with small durations and counts (through
 * the environment variables it already reads) and only its ratio lines are printed, one per
 * line, prefixed with the bench's name. Timings on a shared CI machine are noisy, so a ratio
 * below its target fails nothing: the line is there so a regression shows in the log. A bench
 * that crashes, or prints no ratio at all, does fail.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const SHORT = {
  http: { BENCH_DURATION_S: '1', BENCH_ROUNDS: '1', BENCH_WARMUP_S: '1' },
  gateway: { BENCH_DURATION_S: '2', BENCH_SEQUENTIAL: '100', BENCH_WARMUP_S: '3' },
  jobs: { BENCH_DURATION_S: '1', BENCH_JOBS: '2000', BENCH_WEBHOOKS: '300' },
  luna: { BENCH_DURATION_S: '1', BENCH_ROUNDS: '1', BENCH_REBUILD_EVENTS: '10000' },
  champion: { BENCH_UPLOAD_MB: '40', BENCH_ROUNDS: '2' },
} as const;
/** Far above a short run's length on a busy machine; only a hang reaches it. */
const LIMIT_S = 300;

async function run(name: keyof typeof SHORT): Promise<boolean> {
  const child = spawn(process.execPath, [resolve(import.meta.dirname, name, 'run.ts')], {
    env: { ...process.env, ...SHORT[name] },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  for (const stream of [child.stdout, child.stderr])
    stream.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
  const started = performance.now();
  // A bench that hangs (a child that died before answering) must not hang CI: it fails.
  const timer = setTimeout(() => {
    output += `\n(stopped after ${LIMIT_S} s)`;
    child.kill('SIGKILL');
  }, LIMIT_S * 1000);
  await new Promise((done) => child.on('close', done));
  clearTimeout(timer);
  const ratios = output
    .split('\n')
    // A ratio line, a line measured against an issue's goal (`PASS`/`MISS ...`), or a
    // count that a busy machine hardly moves (bench/gateway's system calls per call,
    // bench/champion's full GCs per upload).
    .filter(
      (line) =>
        /ratio/i.test(line) ||
        /^\s*(PASS|MISS)\s/.test(line) ||
        /system calls per|full GCs/.test(line),
    )
    // A verdict on a short, noisy run would read as a result; the number is what matters.
    .map((line) =>
      line
        .replace(/^\s*(PASS|MISS)\s+|\s+(PASS|MISS)\s*$/g, '')
        .replace(/\s{2,}/g, ' ')
        .trim(),
    );
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  for (const line of ratios) console.log(`bench/${name}: ${line}`);
  if (ratios.length) return true;
  console.log(`bench/${name}: no ratio printed (${seconds} s); its output:\n${output}`);
  return false;
}

let ok = true;
for (const name of Object.keys(SHORT) as (keyof typeof SHORT)[]) ok = (await run(name)) && ok;
process.exitCode = ok ? 0 : 1;
