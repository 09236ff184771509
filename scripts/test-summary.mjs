// Adds up vitest's per-package "Tests  N passed | M failed" lines from CI logs and prints
// one closing line, so a CI reader sees the whole run's count at a glance.
import { readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, 'utf8').replace(
    new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g'),
    '',
  );
  for (const line of text.split('\n')) {
    const match =
      /^\S*:?\s*Tests\s+(.*)\(\d+\)\s*$/.exec(line.trim()) ??
      /^[\w@/-]+:test: +Tests +(.*)\(\d+\)\s*$/.exec(line.trim());
    if (!match) continue;
    const counts = match[1];
    passed += Number(/(\d+) passed/.exec(counts)?.[1] ?? 0);
    failed += Number(/(\d+) failed/.exec(counts)?.[1] ?? 0);
    skipped += Number(/(\d+) skipped/.exec(counts)?.[1] ?? 0);
  }
}
if (passed + failed === 0) {
  console.error('no test results found in the logs');
  process.exit(1);
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed > 0 ? 1 : 0);
