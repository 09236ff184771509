// After `vite build`: writes a gzipped copy beside each text file (the hub sends it to
// browsers that accept gzip), then prints the bundle size: the first page (the entry chunk,
// its static imports and their CSS, as a browser loads them) and every screen, gzipped.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Goal from issue 17: the first page under 300 kB gzipped. */
const FIRST_PAGE_GOAL_BYTES = 300 * 1024;

interface ManifestChunk {
  file: string;
  isEntry?: boolean;
  imports?: string[];
  css?: string[];
}

const dist = join(import.meta.dirname, '..', 'dist');
const manifest: Record<string, ManifestChunk> = JSON.parse(
  readFileSync(join(dist, '.vite/manifest.json'), 'utf8'),
);
const sizes = new Map<string, number>();
for (const file of readdirSync(dist, { recursive: true, encoding: 'utf8' })) {
  if (!/\.(js|css|html|svg)$/.test(file) || file.startsWith('.vite')) continue;
  const zipped = gzipSync(readFileSync(join(dist, file)), { level: 9 });
  writeFileSync(join(dist, `${file}.gz`), zipped);
  sizes.set(file.split('\\').join('/'), zipped.length);
}
const gzipped = (file: string): number => sizes.get(file) ?? 0;

const firstPage = new Set<string>(['index.html']);
const visit = (key: string): void => {
  const chunk = manifest[key];
  if (!chunk || firstPage.has(chunk.file)) return;
  firstPage.add(chunk.file);
  for (const css of chunk.css ?? []) firstPage.add(css);
  for (const inner of chunk.imports ?? []) visit(inner);
};
for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);

const all = new Set<string>(['index.html']);
for (const chunk of Object.values(manifest)) {
  all.add(chunk.file);
  for (const css of chunk.css ?? []) all.add(css);
}
const sum = (files: Set<string>): number => [...files].reduce((n, f) => n + gzipped(f), 0);
const kB = (bytes: number): string => `${(bytes / 1024).toFixed(1)} kB`;
const first = sum(firstPage);
console.log(
  `console bundle: first page ${kB(first)} gzipped (${firstPage.size} files; goal < ${kB(FIRST_PAGE_GOAL_BYTES)}), all screens ${kB(sum(all))} gzipped`,
);
if (first > FIRST_PAGE_GOAL_BYTES) {
  console.warn(`console bundle: the first page is over the ${kB(FIRST_PAGE_GOAL_BYTES)} goal`);
}
