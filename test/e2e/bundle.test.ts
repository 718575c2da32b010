/**
 * The bundle that `npm run build` makes (dist/bundle/) is what bin/vhtop.js runs, it needs nothing
 * else of the checkout, and a one-shot command loads only the chunks it uses: no yaml parser on a
 * registry-cache hit, no table code for --json, no health probes without --health.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBuilt, ROOT } from '../helpers/built-cli.js';

let dir: string;
let cache: string;

/** A copy of the package as npm would install it, without dist/'s tsc output or node_modules. */
function packageCopy(): string {
  const copy = path.join(dir, 'pkg');
  cpSync(path.join(ROOT, 'bin'), path.join(copy, 'bin'), { recursive: true });
  cpSync(path.join(ROOT, 'dist', 'bundle'), path.join(copy, 'dist', 'bundle'), { recursive: true });
  cpSync(path.join(ROOT, 'package.json'), path.join(copy, 'package.json'));
  cpSync(path.join(ROOT, 'registry.yaml'), path.join(copy, 'registry.yaml'));
  return copy;
}

/** A module-resolution hook that appends every file the run loads to `log`. */
function writeHook(): string {
  const hooks = path.join(dir, 'hooks.mjs');
  writeFileSync(
    hooks,
    `import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (r.url.startsWith('file:')) appendFileSync(process.env.LOADED_LOG, r.url + '\\n');
  return r;
}
`,
  );
  const register = path.join(dir, 'register.mjs');
  // As the run exits: the CommonJS files it required (the resolve hook sees only ES module imports),
  // and Node's own modules it loaded.
  const atExit = [
    "process.on('exit', () => {",
    "  const files = Object.keys(createRequire(import.meta.url).cache).filter((f) => f.startsWith('/'));",
    "  appendFileSync(process.env.LOADED_LOG, files.map((f) => pathToFileURL(f).href + '\\n').join(''));",
    "  appendFileSync(process.env.LOADED_LOG + '.builtins', process.moduleLoadList.join('\\n'));",
    '});',
  ].join('\n');
  writeFileSync(
    register,
    `import { register, createRequire } from 'node:module';\nimport { appendFileSync } from 'node:fs';\nimport { pathToFileURL } from 'node:url';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n${atExit}\n`,
  );
  return register;
}

interface Run {
  readonly stdout: string;
  /** Source files (as the bundle's path comments name them) in every chunk the run loaded. */
  readonly sources: string[];
  readonly files: string[];
  /** Node's internal modules the run loaded (`process.moduleLoadList`). */
  readonly builtins: string[];
}

let pkg: string;
let register: string;
let runs = 0;

function run(args: string[]): Run {
  const log = path.join(dir, `loaded-${runs++}.log`);
  writeFileSync(log, '');
  let stdout = '';
  try {
    stdout = execFileSync(process.execPath, ['--import', register, path.join(pkg, 'bin', 'vhtop.js'), ...args], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      // No Docker engine to ask (a running one, started by other tests, would rightly load the exec code).
      env: { PATH: process.env.PATH, HOME: dir, VHTOP_CACHE_DIR: cache, LOADED_LOG: log, DOCKER_HOST: `unix://${path.join(dir, 'no-engine.sock')}` },
      timeout: 60_000,
      // `list --json` of a busy machine (another program's 15k sockets) is megabytes.
      maxBuffer: 256 * 1024 * 1024,
    });
  } catch (e) {
    // check exits 1 when a service is down: its output is still the result.
    const err = e as { status?: number; stdout?: string };
    if (typeof err.status !== 'number') throw e;
    stdout = err.stdout ?? '';
  }
  const files = readFileSync(log, 'utf8').split('\n').filter((l) => l !== '').map((u) => new URL(u).pathname);
  const sources = files.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(/^\/\/ ((?:src|node_modules)\/\S+)$/gm)].map((m) => m[1] as string));
  const builtins = readFileSync(`${log}.builtins`, 'utf8').split('\n');
  return { stdout, sources, files, builtins };
}

beforeAll(() => {
  if (!isBuilt()) throw new Error('dist/bundle/cli.js missing: run `npm run build` first');
  dir = mkdtempSync(path.join(tmpdir(), 'vhtop-bundle-test-'));
  cache = path.join(dir, 'cache');
  pkg = packageCopy();
  register = writeHook();
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the bundled CLI', () => {
  it('runs from bin with only bin/, dist/bundle/ and package.json, and loads nothing outside them', () => {
    const r = run(['--version']);
    expect(r.stdout.trim()).toBe((JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version);
    expect(r.files.length).toBeGreaterThan(0);
    for (const f of r.files) expect(f.startsWith(`${pkg}/bin/`) || f.startsWith(`${pkg}/dist/bundle/`)).toBe(true);
  });

  it('list --json parses the registry with yaml on a cache miss only (in the full bundle)', () => {
    const first = run(['list', '--json']);
    expect(JSON.parse(first.stdout).version).toBe(1);
    expect(first.sources.some((s) => s.startsWith('node_modules/yaml/'))).toBe(true);
    const second = run(['list', '--json']);
    expect(JSON.parse(second.stdout)).toMatchObject({ version: 1, probe: 'linux' });
    expect(second.sources).toContain('src/commands/list.ts');
    expect(second.sources).toContain('src/probe/linux.ts');
    expect(second.sources.filter((s) => s.startsWith('node_modules/yaml/') || s === 'src/core/catalogue-yaml.ts')).toEqual([]);
    expect(second.sources.filter((s) => s.startsWith('src/ui/') || s.startsWith('node_modules/ink/'))).toEqual([]);
  });

  it('list, check and status on a cached registry load one CommonJS file and no ES module', () => {
    run(['list', '--json']); // the registry is in the cache from here on
    const bundled = (r: Run): string[] => [...new Set(r.files.filter((f) => f.startsWith(`${pkg}/dist/bundle/`)))].map((f) => path.basename(f));
    for (const args of [['list', '--json'], ['list'], ['check'], ['status'], ['check', '--json']]) {
      const r = run(args);
      expect(bundled(r), args.join(' ')).toEqual(['cli.cjs']);
    }
    // Without the test's own ES module hook: Node never translated an ES module, not even bin/vhtop.js.
    const preload = path.join(dir, 'builtins.cjs');
    const log = path.join(dir, 'plain-builtins.log');
    writeFileSync(preload, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(log)}, process.moduleLoadList.join('\\n')));\n`);
    execFileSync(process.execPath, ['-r', preload, path.join(pkg, 'bin', 'vhtop.js'), 'list', '--json'], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'ignore'],
      env: { PATH: process.env.PATH, HOME: dir, VHTOP_CACHE_DIR: cache, DOCKER_HOST: `unix://${path.join(dir, 'no-engine.sock')}` },
      timeout: 60_000,
    });
    const loaded = readFileSync(log, 'utf8').split('\n');
    expect(loaded).toContain('NativeModule internal/modules/cjs/loader');
    expect(loaded.filter((m) => m.includes('internal/modules/esm/translators') || m.includes('internal/modules/esm/module_job'))).toEqual([]);
  });

  it('anything else goes to the ES module bundle, which loads a handful of files, not one per shared module', () => {
    run(['list', '--json']);
    const bundled = (r: Run): string[] => [...new Set(r.files.filter((f) => f.startsWith(`${pkg}/dist/bundle/`)))];
    const conflicts = run(['conflicts']);
    expect(conflicts.stdout).toMatch(/live/);
    expect(bundled(conflicts).map((f) => path.basename(f))).toContain('cli.js');
    expect(bundled(conflicts).length).toBeLessThanOrEqual(8);
  });

  it('check prints its table without loading the health probes; --health loads them', () => {
    run(['list', '--json']); // the registry is in the cache from here on
    const plain = run(['check']);
    expect(plain.stdout).toMatch(/not up|all \d+ up/);
    expect(plain.sources).toContain('src/presentation/table.ts');
    expect(plain.sources.filter((s) => s.startsWith('src/actions/health'))).toEqual([]);
    // Nor the ssh side of --host, nor the child-process library it needs: a single host spawns nothing.
    expect(plain.sources.filter((s) => s.startsWith('node_modules/execa/') || s.startsWith('src/probe/remote') || s === 'src/actions/ssh.ts')).toEqual([]);
    const health = run(['check', '--health', '--only', 'gateway']);
    expect(health.sources).toContain('src/actions/health.ts');
  });

  it('the TUI loads the production build of React only, and not the HTTP client', () => {
    // Without a terminal the TUI prints the list table once, after loading all of its code.
    const tui = run([]);
    expect(tui.stdout).toMatch(/PORT/);
    expect(tui.sources).toContain('src/ui/App.tsx');
    expect(tui.sources).toContain('node_modules/react-reconciler/cjs/react-reconciler.production.js');
    expect(tui.sources.filter((s) => /\.development\.js$/.test(s))).toEqual([]);
    // Ink's layout engine reads its WebAssembly from a data: URL with fetch when fetch exists.
    expect(tui.builtins.filter((m) => m.includes('undici'))).toEqual([]);
    expect(tui.builtins.length).toBeGreaterThan(10);
  });

  it('every file a one-shot command or the TUI loads is plain ASCII', () => {
    // One non-ASCII byte (a "…" in a comment) makes Node decode the whole file as UTF-8 into a
    // two-byte string, about twice the time for the TUI's megabyte of code, and V8 then parses that.
    run(['list', '--json']);
    const loaded = new Set([run(['list', '--json']), run(['check']), run(['status']), run([])].flatMap((r) => r.files));
    const offending: string[] = [];
    for (const f of loaded) {
      const lines = readFileSync(f, 'latin1').split('\n');
      const at = lines.findIndex((l) => /[^\x00-\x7f]/.test(l));
      if (at >= 0) offending.push(`${path.relative(pkg, f)}:${at + 1}: ${lines[at]?.trim().slice(0, 80)}`);
    }
    expect(offending).toEqual([]);
  });

  it('compiles cli.cjs from the code cache the build wrote, which this Node accepts', () => {
    const file = path.join(pkg, 'dist', 'bundle', 'cli.cjs');
    const probe = [
      "const fs = require('node:fs'), vm = require('node:vm'), Module = require('node:module');",
      `const file = ${JSON.stringify(file)};`,
      "const s = new vm.Script(Module.wrap(fs.readFileSync(file, 'latin1')), { filename: file, cachedData: fs.readFileSync(file + '.cache') });",
      'process.stdout.write(String(s.cachedDataRejected));',
    ].join('\n');
    expect(execFileSync(process.execPath, ['-e', probe], { encoding: 'utf8' })).toBe('false');
    // And a run without it still works (a build that could not write one).
    rmSync(`${file}.cache`);
    expect(run(['--version']).stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
