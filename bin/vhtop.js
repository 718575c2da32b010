#!/usr/bin/env node
// Tiny on purpose: all logic lives in the built CLI. A CommonJS file (bin/package.json says so):
// Node then starts without its ES module loader, which a one-shot `vhtop check` would otherwise pay
// for. dist/bundle/cli.cjs is the bundle `npm run build` makes for the everyday commands; it hands
// anything else to the ES module bundle beside it (dist/bundle/cli.js).
'use strict';
const path = require('node:path');
const { loadCli } = require('./load-cli.cjs');

const clean = (text) => String(text).split('\n')[0].replace(/[\x00-\x1f\x7f]/g, '');
const cli = path.join(__dirname, '..', 'dist', 'bundle', 'cli.cjs');
let loaded;
try {
  loaded = loadCli(cli);
} catch (e) {
  // A clone installed without its build step (`npm install --ignore-scripts`, a copied tree):
  // one line that says what to run instead of Node's stack trace.
  const missing = e && e.code === 'ENOENT' && e.path === cli;
  const text = missing ? 'the CLI is not built (dist/bundle/cli.cjs is missing): run `npm run build` (npm ci does it)' : `cannot load the CLI: ${e && e.message}`;
  process.stderr.write(`vhtop: ${clean(text)}\n`);
  process.exitCode = missing ? 2 : 70;
}
if (loaded) {
  loaded.main(process.argv.slice(2), (url) => import(url)).catch((e) => {
    process.stderr.write(`vhtop: internal error: ${clean(e && e.message)}\n`);
    process.exitCode = 70;
  });
}
