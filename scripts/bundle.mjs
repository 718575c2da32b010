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
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/**
 * string-width builds an `Intl.Segmenter` as it loads: ICU's first use in a process, about a seventh
 * of Node's start-up. The command tables import it for the rare text their own shortcuts cannot
 * measure (src/presentation/cells.ts), so the bundle gives them a stand-in that loads it on the
 * first call: a bundled require() is evaluated where it is called, an import where it is imported.
 * Ink imports string-width itself and is not affected.
 */
const lazyStringWidth = {
  name: 'lazy-string-width',
  setup(b) {
    b.onResolve({ filter: /^string-width$/ }, (args) =>
      args.importer.endsWith(path.join('src', 'presentation', 'cells.ts')) ? { path: 'string-width', namespace: 'lazy-string-width' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-string-width' }, () => ({
      resolveDir: root,
      contents: 'let width;\nexport default function stringWidth(text, options) {\n  width ??= require("string-width").default;\n  return width(text, options);\n}\n',
    }));
  },
};

const options = {
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
    // React and its reconciler pick their production or development build at run time from
    // NODE_ENV; fixed here, esbuild drops the other branch: the TUI's chunk loses ~750 KB of
    // development build that Node read, decoded and parsed on every launch. vhtop ships the
    // production build whatever NODE_ENV a user (or a test runner: vitest sets "test") has set.
    'process.env.NODE_ENV': '"production"',
  },
  // CommonJS dependencies (react, systeminformation) call require() for Node built-ins, and so does
  // the bundle itself (see requireBuiltins). One require for all chunks (they share a directory, so
  // any one resolves the same): making one costs about 0.15 ms, and a command loads five chunks.
  banner: {
    js: 'import { createRequire as __vhtopCreateRequire } from "node:module"; const require = (globalThis[Symbol.for("vhtop.require")] ??= __vhtopCreateRequire(import.meta.url));',
  },
  // Function names as written: stack traces and React's component names say `App`, not the `App2`
  // that bundling renames it to when a dependency has an `App` of its own.
  keepNames: true,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [lazyStringWidth],
};

/**
 * Files that load together, in one chunk each. esbuild puts a file in the chunk of the exact set of
 * entry points (each `import()` target is one) that reach it, so the CLI's small shared modules came
 * out as some forty chunks of a few hundred bytes to a few KB, and `vhtop check` loaded 24 of them:
 * Node's loader spends about half a millisecond resolving, reading and linking each one. Every member
 * of a group gets a side-effect import of the group's hub module, which imports every member: any
 * entry that reaches one member reaches all of them, so they share one chunk.
 *
 * A group holds what the one-shot commands (`seeds`) import statically from its `paths`, less any
 * file of a group before it or whose static imports leave the group and the groups before it:
 * pulling a member in never pulls in code that the commands did not already load. `entry` is what
 * cli.js itself needs (`--version` and `--help` load nothing else); `core` (catalogue cache, env,
 * probe, snapshot) is what every command and the TUI need; `presentation` is the text tables, which
 * `list --json` never loads. The commands themselves stay chunks of their own.
 */
const SEEDS = ['src/cli.tsx', 'src/commands/list.ts', 'src/commands/check.ts', 'src/commands/status.ts'];
const GROUPS = [
  { name: 'entry', paths: ['src/cli/args.ts', 'src/core/errors.ts', 'src/core/sanitize.ts'] },
  { name: 'core', paths: ['src/cli/', 'src/core/', 'src/probe/', 'src/commands/hosts-report.ts'] },
  { name: 'presentation', paths: ['src/presentation/'] },
];

/** The groups' members, from the static imports a plain build sees. */
async function groupMembers() {
  const { metafile } = await build({ ...options, write: false, metafile: true, logLevel: 'silent' });
  const staticImports = (file) => metafile.inputs[file].imports.filter((i) => i.kind === 'import-statement' && !i.external).map((i) => i.path);
  const allowed = new Set(['lazy-string-width:string-width']);
  const members = new Map();
  for (const group of GROUPS) {
    const inGroup = (f) => group.paths.some((p) => f.startsWith(p));
    // What the commands reach statically, walking through any file (a command imports a member).
    const reached = new Set();
    const walk = (f) => {
      if (reached.has(f)) return;
      reached.add(f);
      staticImports(f).forEach(walk);
    };
    SEEDS.forEach(walk);
    const set = new Set([...reached].filter((f) => inGroup(f) && !allowed.has(f)));
    for (let changed = true; changed; ) {
      changed = false;
      for (const f of set) {
        if (staticImports(f).every((i) => set.has(i) || allowed.has(i))) continue;
        set.delete(f);
        changed = true;
      }
    }
    for (const f of set) allowed.add(f);
    members.set(group.name, set);
  }
  return members;
}

/** Adds each member's import of its group's hub, and the hubs. */
function groupPlugin(members) {
  const groupOf = new Map([...members].flatMap(([name, set]) => [...set].map((f) => [path.join(root, f), name])));
  return {
    name: 'chunk-groups',
    setup(b) {
      b.onResolve({ filter: /^vhtop-group:/ }, (args) => ({ path: args.path.slice('vhtop-group:'.length), namespace: 'vhtop-group' }));
      b.onLoad({ filter: /.*/, namespace: 'vhtop-group' }, (args) => ({
        resolveDir: root,
        contents: [...members.get(args.path)].map((f) => `import ${JSON.stringify(`./${f}`)};`).join('\n'),
      }));
      b.onLoad({ filter: /\.tsx?$/ }, (args) => {
        const group = groupOf.get(args.path);
        if (group === undefined) return undefined;
        const text = readFileSync(args.path, 'utf8');
        return { contents: `${text}\nimport ${JSON.stringify(`vhtop-group:${group}`)};\n`, loader: args.path.endsWith('x') ? 'tsx' : 'ts' };
      });
    },
  };
}

/**
 * Node built-ins through require() rather than import. Importing one from an ES module builds a
 * module facade that reads every export, and reading node:fs's `ReadStream` loads Node's file
 * streams: 3 to 5 ms of a one-shot command for node:fs alone, where require('node:fs') takes 0.3 ms.
 * esbuild writes an ES module's external imports as import statements at the top of each chunk;
 * each becomes the same bindings taken from require() (the banner's), in the same place.
 */
const BUILTIN_IMPORT = /^import (?:(\w+)|\* as (\w+)|\{([^}]*)\}|(\w+), \{([^}]*)\}) from "(node:[\w/]+)";$/gm;

function requireBuiltins(code) {
  return code.replace(BUILTIN_IMPORT, (line, def, ns, names, def2, names2, id) => {
    if (id === 'node:module' && line.includes('__vhtopCreateRequire')) return line; // the banner: where require comes from
    const whole = def ?? ns ?? def2;
    const named = names ?? names2;
    const out = [];
    if (whole !== undefined) out.push(`const ${whole} = require(${JSON.stringify(id)});`);
    if (named !== undefined) {
      const pattern = named.split(',').map((n) => n.trim()).filter((n) => n !== '').map((n) => n.replace(/^(\S+) as (\S+)$/, '$1: $2'));
      out.push(`const { ${pattern.join(', ')} } = require(${JSON.stringify(id)});`);
    }
    return out.join(' ');
  });
}

const members = await groupMembers();
rmSync(outdir, { recursive: true, force: true });
const { outputFiles } = await build({ ...options, plugins: [...options.plugins, groupPlugin(members)], write: false });
mkdirSync(outdir, { recursive: true });
for (const file of outputFiles) {
  const code = requireBuiltins(file.text);
  if (/^import\b[^;]*from "node:/m.test(code.split('\n').slice(1).join('\n'))) throw new Error(`${file.path}: a built-in import the bundle step does not rewrite`);
  writeFileSync(file.path, code);
}

/**
 * The CommonJS build (dist/bundle/cli.cjs; why: src/cli/full-cli.ts). It holds the modules that
 * `list`, `check` and `status` load on a registry-cache hit. The Docker engine query (a host running
 * Docker is the usual case) is a CommonJS file of its own, containers.cjs, required when first used:
 * inside cli.cjs its child-process library (execa, ~300 KB) cost every run ~10 % in parsing alone.
 * Any other module that an `import()` would load becomes a module that throws NeedsFullCli, and the
 * invocation goes to the ES module bundle above.
 */
const FAST_DYNAMIC = [
  'src/commands/list.ts',
  'src/commands/check.ts',
  'src/commands/status.ts',
  'src/commands/hosts-report.ts',
  'src/cli/host-flags.ts',
  'src/presentation/',
];

/** Modules loaded from a CommonJS file of their own, by path: they share no state with the rest. */
const SEPARATE = { 'src/probe/containers.ts': 'containers.cjs' };

/** Marks the plugin's own resolve() call, which comes back through its onResolve. */
const RESOLVING = Symbol('resolving');

const toFullCli = {
  name: 'to-full-cli',
  setup(b) {
    b.onResolve({ filter: /.*/ }, async (args) => {
      if (args.kind !== 'dynamic-import' || args.pluginData === RESOLVING) return undefined;
      const resolved = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: RESOLVING });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      const rel = path.relative(root, resolved.path);
      if (FAST_DYNAMIC.some((p) => rel.startsWith(p))) return resolved;
      if (rel in SEPARATE) return { path: SEPARATE[rel], namespace: 'separate-cjs' };
      return { path: rel, namespace: 'to-full-cli' };
    });
    b.onLoad({ filter: /.*/, namespace: 'separate-cjs' }, (args) => ({
      resolveDir: root,
      contents: `module.exports = require(require("node:path").join(__dirname, ${JSON.stringify(args.path)}));\n`,
      loader: 'js',
    }));
    b.onLoad({ filter: /.*/, namespace: 'to-full-cli' }, (args) => ({
      resolveDir: root,
      contents: `import { NeedsFullCli } from "./src/cli/full-cli.ts";\nthrow new NeedsFullCli(${JSON.stringify(args.path)});\n`,
      loader: 'js',
    }));
  },
};

/** One CommonJS file, no chunks. */
const oneCommonJsFile = { ...options, outdir: undefined, splitting: false, format: 'cjs' };

await build({
  ...oneCommonJsFile,
  entryPoints: [path.join(root, 'src', 'cli-fast.ts')],
  outfile: path.join(outdir, 'cli.cjs'),
  // A CommonJS module has its own require(), and its file's URL from __filename.
  banner: { js: 'const __vhtopImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
  define: { ...options.define, 'import.meta.url': '__vhtopImportMetaUrl' },
  plugins: [...options.plugins, toFullCli],
  // No React here, and nothing reads a function's name: keeping them cost ~270 defineProperty calls
  // (and a scavenge's worth of garbage) at every start.
  keepNames: false,
});
for (const [source, file] of Object.entries(SEPARATE)) {
  await build({
    ...oneCommonJsFile,
    entryPoints: [path.join(root, source)],
    outfile: path.join(outdir, file),
    banner: {},
    plugins: [],
  });
}
