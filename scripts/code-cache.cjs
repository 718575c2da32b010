#!/usr/bin/env node
/**
 * Writes dist/bundle/cli.cjs.cache, the V8 code cache that bin/vhtop.js hands to the compiler with
 * dist/bundle/cli.cjs: Node compiles a CommonJS file from scratch on every run, and for the
 * everyday commands that compilation was ~8 ms, about a twentieth of a `vhtop check`.
 *
 * V8 puts in a cache the functions compiled so far, so this script first runs what the everyday
 * commands run (`list --json`, `check`, `status` on this machine, output thrown away, registry cache
 * in a temporary directory), then writes the cache. A cache made by another Node version or with
 * other V8 flags is rejected by V8 at load time and the file is compiled as without it.
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { compileCli } = require('../bin/load-cli.cjs');

async function main() {
  const file = path.resolve(__dirname, '..', 'dist', 'bundle', 'cli.cjs');
  const out = `${file}.cache`;
  fs.rmSync(out, { force: true });
  const { script, exports } = compileCli(file, null);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'vhtop-code-cache-'));
  const sink = { write: (_chunk, done) => (typeof done === 'function' && done(), true), isTTY: false };
  const ctx = { stdout: sink, stderr: sink, stdinIsTTY: false, env: { ...process.env, VHTOP_CACHE_DIR: tmp, VHTOP_HOSTS: '' }, cwd: tmp };
  try {
    // The first list misses the registry cache and goes through the full bundle, which fills it.
    for (const argv of [['list', '--json'], ['list', '--json'], ['list'], ['check'], ['status']]) {
      await exports.runAnywhere(argv, ctx, (url) => import(url));
    }
    fs.writeFileSync(out, script.createCachedData());
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((e) => {
  // No cache only costs start-up time: say so and let the build go on.
  process.stderr.write(`code-cache: not written: ${e && e.message}\n`);
});
