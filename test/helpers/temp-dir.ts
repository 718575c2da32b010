/**
 * Scratch directories for tests (registries, .env files, compose files, stand-in bins, /proc trees).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A fresh directory under the OS temp dir whose name starts with `prefix`; `remove()` deletes it all. */
export function tempDir(prefix = 'vhtop-'): { readonly dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
