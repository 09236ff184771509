/**
 * bench/build: wall time and peak memory of the full-repo type-check and of the SDK build,
 * cold (no incremental state, no turbo cache) and warm (run again, nothing changed).
 * Goals: cold type-check < 25 s, warm < 3 s, SDK build < 20 s with < 1.5 GB peak.
 *
 * Peak memory is the sum of the RSS of the whole process tree, sampled every 100 ms (turbo
 * and tsdown run several processes at once), next to the largest single process that
 * /usr/bin/time reports. The machine's load average and the CPU time are printed with each
 * step: on a shared machine they say how much to trust a wall time.
 *
 * `BENCH_BUILD_STEPS=typecheck,sdk` picks steps; `--short` measures the warm runs only;
 * `BENCH_BUILD_ROOT=<checkout>` measures another checkout (e.g. an export of main, with its
 * own `npm run bootstrap`) the same way, for a before/after in one sitting.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';

const root = resolve(process.env.BENCH_BUILD_ROOT ?? resolve(import.meta.dirname, '../..'));
const bin = (name: string) => resolve(root, 'node_modules/.bin', name);
const short = process.argv.includes('--short');
const steps = (process.env.BENCH_BUILD_STEPS ?? 'typecheck,sdk').split(',');

const GOALS = { coldCheck: 25, warmCheck: 3, sdkBuild: 20, sdkPeakMb: 1536 };

/** Everything a cold run must not find: incremental state, emitted declarations, caches. */
function clean(): void {
  const projects = ['apps', 'packages'].flatMap((dir) =>
    readdirSync(resolve(root, dir)).map((name) => `${dir}/${name}`),
  );
  const paths = [...projects, 'bench', '.'].flatMap((dir) => [`${dir}/.tsbuild`, `${dir}/.turbo`]);
  for (const path of [...paths, 'node_modules/.cache/turbo', 'packages/sdk/dist'])
    rmSync(resolve(root, path), { recursive: true, force: true });
}

interface Result {
  seconds: number;
  peakTreeMb: number;
  peakProcessMb: number;
  code: number;
}

/** RSS of a process and all its descendants, from one pass over /proc. */
function treeRssKb(pid: number): number {
  const children = new Map<number, number[]>();
  const rss = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // "pid (comm) state ppid ...": comm may hold spaces, so split after its ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const pages = Number(readFileSync(`/proc/${name}/statm`, 'utf8').split(' ')[1]);
      rss.set(Number(name), pages * 4);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
    } catch {
      // The process ended between the listing and the read.
    }
  }
  let total = 0;
  const stack = [pid];
  for (let p = stack.pop(); p !== undefined; p = stack.pop()) {
    total += rss.get(p) ?? 0;
    stack.push(...(children.get(p) ?? []));
  }
  return total;
}

async function measure(label: string, command: string, args: readonly string[]) {
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  process.stdout.write(`  ${label} (load ${load}) ... `);
  const started = performance.now();
  const child = spawn('/usr/bin/time', ['-f', '%M %U %S', command, ...args], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, FORCE_COLOR: '0' },
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  let peakKb = 0;
  const sampler = setInterval(() => {
    if (child.pid) peakKb = Math.max(peakKb, treeRssKb(child.pid));
  }, 100);
  const code: number = await new Promise((done) => child.on('close', (c) => done(c ?? 1)));
  clearInterval(sampler);
  const seconds = (performance.now() - started) / 1000;
  const lines = stderr.trim().split('\n');
  const [maxRssKb, user, system] = (lines.at(-1) ?? '').split(' ').map(Number);
  const peakProcessMb = (maxRssKb ?? 0) / 1024;
  // CPU seconds (user + system) barely move with the machine's load, where wall time does.
  const cpuSeconds = (user ?? 0) + (system ?? 0);
  const result: Result = { seconds, peakTreeMb: peakKb / 1024, peakProcessMb, code };
  console.log(
    `${seconds.toFixed(1)} s (${cpuSeconds.toFixed(1)} s CPU), peak ${result.peakTreeMb.toFixed(0)} MB (tree), ${peakProcessMb.toFixed(0)} MB (largest process)${code ? ` EXIT ${code}` : ''}`,
  );
  if (code) console.log(lines.slice(-30, -1).join('\n'));
  return result;
}

const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');

console.log(
  `bench/build: ${root}, Node ${process.version}, ${short ? 'warm only (--short)' : 'cold then warm'}`,
);
const typecheck = [bin('pnpm'), ['run', '--silent', 'typecheck']] as const;
const sdkBuild = [bin('pnpm'), ['--filter', '@phoenix/sdk', 'run', '--silent', 'build']] as const;

if (steps.includes('typecheck')) {
  if (!short) clean();
  const cold = short ? undefined : await measure('type-check, cold', ...typecheck);
  const warm = await measure('type-check, warm', ...typecheck);
  if (cold)
    console.log(
      `  goal cold type-check < ${GOALS.coldCheck} s: ${verdict(cold.seconds < GOALS.coldCheck)}`,
    );
  console.log(
    `  goal warm type-check < ${GOALS.warmCheck} s: ${verdict(warm.seconds < GOALS.warmCheck)}`,
  );
}
if (steps.includes('sdk')) {
  if (!short) clean();
  const cold = short ? undefined : await measure('SDK build, cold', ...sdkBuild);
  const warm = await measure('SDK build, warm', ...sdkBuild);
  for (const [name, r] of [
    ['cold', cold],
    ['warm', warm],
  ] as const) {
    if (!r) continue;
    console.log(
      `  goal SDK build (${name}) < ${GOALS.sdkBuild} s and < ${GOALS.sdkPeakMb} MB: ${verdict(r.seconds < GOALS.sdkBuild && r.peakTreeMb < GOALS.sdkPeakMb)}`,
    );
  }
}
