'use strict';
/**
 * Loads dist/bundle/cli.cjs as require() would, but compiled with the V8 code cache that
 * `npm run build` writes beside it (scripts/code-cache.cjs): Node's require() compiles a file from
 * scratch on every run. Without the cache, or on a Node whose V8 rejects it (another version, other
 * flags), this is a plain compile. Code compiled this way cannot import(): the CLI gets bin/vhtop.js's.
 */
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const Module = require('node:module');

/** Compiles and runs `file` as a CommonJS module with `cachedData` (a Buffer, or null for none). */
function compileCli(file, cachedData) {
  const source = fs.readFileSync(file, 'latin1');
  const options = { filename: file };
  if (cachedData) options.cachedData = cachedData;
  const script = new vm.Script(Module.wrap(source), options);
  const mod = new Module(file, module);
  mod.filename = file;
  mod.paths = [];
  // Where require() would put it: a later require() of the same file gets this one.
  Module._cache[file] = mod;
  script.runInThisContext().call(mod.exports, mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
  mod.loaded = true;
  return { script, exports: mod.exports };
}

/** The CLI's exports, compiled with its code cache when there is one. */
function loadCli(file) {
  let cache = null;
  try {
    cache = fs.readFileSync(`${file}.cache`);
  } catch {
    // No cache (a build that could not write one): compile without.
  }
  return compileCli(file, cache).exports;
}

module.exports = { compileCli, loadCli };
