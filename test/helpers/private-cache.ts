/**
 * Global setup of the test run: every vhtop the tests run keeps its registry cache in a directory of
 * this run, removed at the end. Tests write hundreds of registries; in the user's cache they would
 * push out the entries of the user's own registries (the cache keeps the most recent few).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(path.join(tmpdir(), 'vhtop-test-cache-'));
  // Set before the test workers are started: they, and every process they start with the
  // environment they were given, inherit it. A test that sets VHTOP_CACHE_DIR itself still wins.
  process.env.VHTOP_CACHE_DIR ??= dir;
  return () => rmSync(dir, { recursive: true, force: true });
}
