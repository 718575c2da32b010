#!/usr/bin/env node
// Tiny on purpose: all logic lives in the built CLI (which always runs React's production build:
// the bundle fixes NODE_ENV at build time, see scripts/bundle.mjs).
// dist/bundle/cli.js is the bundle `npm run build` makes (scripts/bundle.mjs): a command loads a few
// files instead of resolving dozens of modules.
const cli = new URL('../dist/bundle/cli.js', import.meta.url);
import(cli.href).then(
  (m) => m.main(process.argv.slice(2)),
  (e) => {
    // A clone installed without its build step (`npm install --ignore-scripts`, a copied tree):
    // one line that says what to run instead of Node's resolver stack trace.
    const missing = e?.code === 'ERR_MODULE_NOT_FOUND' && e.url === cli.href;
    const text = missing ? 'the CLI is not built (dist/bundle/cli.js is missing): run `npm run build` (npm ci does it)' : `cannot load the CLI: ${e?.message}`;
    process.stderr.write(`vhtop: ${String(text).split('\n')[0].replace(/[\x00-\x1f\x7f]/g, '')}\n`);
    process.exitCode = missing ? 2 : 70;
  },
);
