import { resolve } from 'node:path';
import { defineConfig } from 'tsdown';

// Declarations emitted by `tsc -b` (see the build script): the router's types are inferred
// once, by the type-check, and only bundled here.
const types = (pkg: string, file: string) =>
  resolve(import.meta.dirname, '..', pkg, '.tsbuild/types/src', file);

// Only what a client needs stays external.
// The React entry's libraries are optional peers: only a React app installs them.
const external = [
  '@trpc/client',
  '@trpc/server',
  'eventsource',
  'superjson',
  '@trpc/tanstack-react-query',
  '@tanstack/react-query',
  'react',
];

export default defineConfig([
  {
    entry: { index: 'src/index.ts', react: 'src/react.ts' },
    format: ['esm'],
    platform: 'neutral',
    fixedExtension: false,
    target: 'es2022',
    clean: true,
    external,
    dts: false,
  },
  {
    entry: { index: types('sdk', 'index.d.ts'), react: types('sdk', 'react.d.ts') },
    format: ['esm'],
    platform: 'neutral',
    fixedExtension: false,
    clean: false,
    // Server packages named by declarations the SDK never reaches stay external, so
    // tree-shaking drops them; one that a client type did reach would show up as an import
    // (which the packed-SDK test refuses).
    external: [...external, /^@phoenix\/(?!api\/client$|errors\/reasons$)/],
    // The router type from @phoenix/api and the reason union from @phoenix/errors/reasons
    // are inlined from their emitted declarations, so consumers never install a server
    // package; tsc's resolver maps the `.ts` specifiers of emitted files to their `.d.ts`.
    dts: {
      dtsInput: true,
      emitDtsOnly: true,
      resolver: 'tsc',
      tsconfig: false,
      compilerOptions: {
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        allowImportingTsExtensions: true,
        paths: {
          '@phoenix/api/client': [types('api', 'client-types.d.ts')],
          '@phoenix/errors/reasons': [types('errors', 'reasons.d.ts')],
        },
      },
      resolve: ['@phoenix/api/client', '@phoenix/errors/reasons'],
    },
    // An external reached only for types must leave no `import 'x'` behind.
    treeshake: { moduleSideEffects: false },
  },
]);
