// Lint guards the structure as much as the style: which layer may import which, no import cycles,
// and the React hooks rules. `npm run lint`; `npm test` runs it before the tests.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const src = (...dirs) => dirs.map((d) => `./src/${d}`);

/**
 * Data flows one way: probe -> core -> presentation / ui / commands / serve. `core` is the leaf
 * (pure types, catalogue, classification, why); the probe may run programs only through the
 * process boundary (actions/exec.ts, actions/ssh.ts); the TUI and the one-shot commands are
 * siblings that never import each other; `cli` holds the flags and the wiring (context, world,
 * hosts) that the commands and the TUI's entry share, and nothing below them imports it.
 */
const layers = [
  { target: src('core'), from: src('probe', 'actions', 'presentation', 'ui', 'commands', 'serve', 'cli', 'bench', 'cli.tsx'), message: 'core is the leaf: it imports only core' },
  { target: src('probe'), from: src('actions'), except: ['./exec.ts', './ssh.ts'], message: 'the probe runs programs only through actions/exec.ts and actions/ssh.ts' },
  { target: src('probe'), from: src('presentation', 'ui', 'commands', 'serve', 'cli', 'bench', 'cli.tsx'), message: 'the probe produces data; it does not know who shows it' },
  { target: src('presentation'), from: src('probe', 'actions', 'ui', 'commands', 'serve', 'cli', 'bench', 'cli.tsx'), message: 'presentation turns core values into cells, tones and text only' },
  { target: src('actions'), from: src('ui', 'commands', 'presentation', 'serve', 'cli', 'bench', 'cli.tsx'), message: 'actions are side effects behind small interfaces' },
  { target: src('ui'), from: src('commands', 'serve', 'cli.tsx'), message: 'the TUI and the commands do not import each other' },
  { target: src('commands'), from: src('ui', 'cli.tsx'), message: 'the TUI and the commands do not import each other' },
  { target: src('serve'), from: src('ui', 'commands', 'cli.tsx'), message: 'the exporter is an output beside the TUI and the commands' },
  { target: src('cli'), from: src('ui', 'commands', 'serve', 'bench', 'cli.tsx'), message: 'cli/ is shared wiring: it does not reach up into the outputs' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  importX.flatConfigs.typescript,
  {
    files: ['src/**/*.{ts,tsx}', 'test/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    settings: { 'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.test.json' })] },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': ['error', { zones: layers }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    rules: {
      // A re-export makes a second place a thing seems to live, and barrels made the import cycles.
      'no-restricted-syntax': ['error',
        { selector: 'ExportNamedDeclaration[source]', message: 'import from where a thing lives: no re-exports' },
        { selector: 'ExportAllDeclaration', message: 'import from where a thing lives: no re-exports' },
      ],
    },
  },
  {
    // Tests assert on what reaches a terminal: escape sequences and control bytes in patterns are the point.
    files: ['test/**/*.{ts,tsx}'],
    rules: { 'no-control-regex': 'off' },
  },
);
