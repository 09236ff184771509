import { defineConfig } from 'tsdown';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm'],
  platform: 'neutral',
  fixedExtension: false,
  target: 'es2022',
  clean: true,
  // Only what a client needs stays external; the router type from @phoenix/api and the
  // reason union from @phoenix/errors/reasons (a file that imports nothing) are inlined
  // into the bundled .d.ts so consumers never install a server package. Both resolve
  // through tsconfig paths: a workspace link in node_modules would be taken for a
  // library and left as an import.
  external: ['@trpc/client', '@trpc/server', 'eventsource', 'superjson'],
  noExternal: ['@phoenix/api/client'],
  dts: { resolve: ['@phoenix/api/client', '@phoenix/errors/reasons'] },
  // Server modules reached only for their types must leave no `import 'x'` behind.
  treeshake: { moduleSideEffects: false },
});
