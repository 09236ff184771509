import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import autocannon from 'autocannon';
const start = async (file: string, args: string[] = []) => {
  const child = spawn(process.execPath, [...(process.env.PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof2'] : []), resolve(import.meta.dirname, file), ...args], { stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
  const [chunk] = (await once(child.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
  return { line: chunk.toString().trim(), child };
};
const cpu = (pid: number) => { const f = readFileSync(`/proc/${pid}/stat`, 'utf8'); const x = f.slice(f.lastIndexOf(')') + 2).split(' '); return { u: Number(x[11]) * 10, s: Number(x[12]) * 10 }; };
const provider = await start('fake-provider.ts');
const hub = await start('hub.ts', [provider.line]);
const { url, apiKeys } = JSON.parse(hub.line);
const body = JSON.stringify({ route: 'chat.bench', model: 'chat.bench', messages: [{ role: 'user', content: 'Say hello' }], max_tokens: 16 });
let next = 0;
const opts = { url: `${url}/v1/chat/completions`, method: 'POST' as const, body, connections: 8, setupClient: (c: autocannon.Client) => c.setHeaders({ 'content-type': 'application/json', authorization: `Bearer ${apiKeys[next++ % apiKeys.length]}` }) };
await autocannon({ ...opts, duration: 1 });
for (let r = 0; r < 3; r++) {
  const a = cpu(hub.child.pid!); const res = await autocannon({ ...opts, duration: 4 }); const b = cpu(hub.child.pid!);
  const n = res.requests.total; console.log(`billed: ${Math.round(res.requests.average)}/s user ${((b.u - a.u) / n).toFixed(3)} ms sys ${((b.s - a.s) / n).toFixed(3)} ms per call; non2xx ${res.non2xx}`);
  const c = cpu(hub.child.pid!); const t = await autocannon({ url: `${url}/trpc/system.version`, connections: 8, duration: 4 }); const d = cpu(hub.child.pid!);
  console.log(`trivial: ${Math.round(t.requests.average)}/s user ${((d.u - c.u) / t.requests.total).toFixed(3)} sys ${((d.s - c.s) / t.requests.total).toFixed(3)} ms`);
}
hub.child.kill('SIGTERM'); provider.child.kill('SIGTERM');
await once(hub.child, 'exit');
