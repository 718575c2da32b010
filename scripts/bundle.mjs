#!/usr/bin/env node
/**
 * Bundles the CLI into dist/bundle/ after tsc has type-checked (and emitted) the sources.
 *
 * Why: a one-shot `vhtop check` or `vhtop list --json` spent about as long resolving, reading and
 * compiling ~30 small modules as it spent on the machine's sockets. One entry (cli.js) with each
 * command, the TUI and the rarely used parts (yaml, the portable probe, health probes) as separate
 * chunks keeps the lazy loading of the sources while a command loads a handful of files.
 *
 * Every output file sits directly in dist/bundle/, two levels below the package root like
 * dist/core/*.js, so code that finds the bundled registry.yaml relative to its own file works in both.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outdir = path.join(root, 'dist', 'bundle');

/** Identity of this build's sources: the registry cache keys on it instead of file mtimes. */
function sourceHash() {
  const hash = createHash('sha256');
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else hash.update(`${path.relative(root, file)}\n`).update(readFileSync(file));
    }
  };
  walk(path.join(root, 'src'));
  return hash.digest('hex').slice(0, 16);
}

rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: [path.join(root, 'src', 'cli.tsx')],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: '[name]-[hash]',
  // Only loaded by Ink when DEV=true (React DevTools); not a dependency of vhtop.
  external: ['react-devtools-core'],
  define: {
    __VHTOP_BUILD_ID__: JSON.stringify(sourceHash()),
    __VHTOP_VERSION__: JSON.stringify(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version),
  },
  // CommonJS dependencies (react, systeminformation) call require() for Node built-ins.
  banner: { js: 'import { createRequire as __vhtopCreateRequire } from "node:module"; const require = __vhtopCreateRequire(import.meta.url);' },
  // Function names as written: stack traces and React's component names say `App`, not the `App2`
  // that bundling renames it to when a dependency has an `App` of its own.
  keepNames: true,
  legalComments: 'none',
  logLevel: 'warning',
});
