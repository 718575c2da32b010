import { cleanText } from '../core/sanitize.js';
import { describeComposeFailure } from './compose.js';
import type { Exec, ExecStream } from './exec.js';
import type { LogSource } from './log-source.js';

/** How a log stream ended. */
export type LogEnd =
  | { readonly kind: 'finished' }
  | { readonly kind: 'stopped' }
  /** One line that says what went wrong (daemon down, unknown service, ...). */
  | { readonly kind: 'failed'; readonly message: string };

/** A running log stream. */
export interface LogStream {
  readonly done: Promise<LogEnd>;
  /** Ends the child and its process group. Safe to call twice. */
  stop(): void;
}

type Runnable = Extract<LogSource, { kind: 'compose' | 'journal' | 'file' }>;

/**
 * Runs a log source through {@link Exec.stream} (own process group, no shell). Every line reaches
 * `onLine` cleaned of terminal escapes; stderr is kept to explain a failure in one line.
 */
export function startLogStream(source: Runnable, exec: Exec, onLine: (line: string) => void, env?: Readonly<Record<string, string | undefined>>): LogStream {
  const errors: string[] = [];
  let stopped = false;
  const child: ExecStream = exec.stream(
    source.file,
    source.args,
    (line, from) => {
      if (from === 'stderr') {
        // Keep a little of stderr for the failure line; compose also prints progress there.
        if (errors.length < 50) errors.push(line);
        return;
      }
      onLine(cleanText(line));
    },
    env === undefined ? {} : { env },
  );
  const done = child.done.then((r): LogEnd => {
    if (stopped) return { kind: 'stopped' };
    if (r.notFound) return { kind: 'failed', message: `${source.file} not installed (not found on PATH)` };
    if (r.exitCode === 0) return { kind: 'finished' };
    const text = errors.join('\n');
    const message = source.kind === 'compose' ? describeComposeFailure(text, source.service) : (errors.find((l) => l.trim() !== '') ?? `${source.file} exited with ${r.exitCode}`);
    return { kind: 'failed', message: cleanText(message) };
  });
  return {
    done,
    stop() {
      stopped = true;
      child.stop();
    },
  };
}

let active: LogStream | null = null;
let exitHookInstalled = false;

/**
 * Opens the one log stream vhtop runs at a time: a stream still open is stopped first. The stream is
 * also stopped when vhtop exits, so that no `docker compose logs --follow` outlives it.
 */
export function openExclusiveLogStream(source: Runnable, exec: Exec, onLine: (line: string) => void, env?: Readonly<Record<string, string | undefined>>): LogStream {
  active?.stop();
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => active?.stop());
  }
  const stream = startLogStream(source, exec, onLine, env);
  active = stream;
  const release = () => {
    if (active === stream) active = null;
  };
  void stream.done.then(release);
  return {
    done: stream.done,
    stop() {
      stream.stop();
      release();
    },
  };
}

/** The stream currently open (for tests and the exit path), or null. */
export function activeLogStream(): LogStream | null {
  return active;
}
