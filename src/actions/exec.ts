import { execa } from 'execa';

/** Outcome of one finished command. Never thrown: callers decide what a failure means. */
export interface ExecResult {
  /** null when killed by a signal or never started. */
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** The executable was not found on PATH (ENOENT). */
  readonly notFound: boolean;
  /** Timed out or cancelled through the AbortSignal. */
  readonly cancelled: boolean;
}

/** Options of {@link Exec.run} and {@link Exec.stream}. */
export interface ExecOptions {
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly signal?: AbortSignal;
  readonly timeoutMs?: number;
}

/** A running streamed command. */
export interface ExecStream {
  /** Resolves when the child has ended (after stop() too). */
  readonly done: Promise<ExecResult>;
  /** Ends the child and its whole process group. Safe to call twice. */
  stop(): void;
}

/**
 * The one door to child processes: argument arrays, never a shell. Tests hand in a recording fake
 * or run this real one against stand-in executables on PATH.
 */
export interface Exec {
  run(file: string, args: readonly string[], options?: ExecOptions): Promise<ExecResult>;
  /** Runs `file` in its own process group and calls `onLine` for every output line (stdout and stderr). */
  stream(file: string, args: readonly string[], onLine: (line: string, from: 'stdout' | 'stderr') => void, options?: ExecOptions): ExecStream;
}

/**
 * The longest piece of output {@link Exec.stream} holds while waiting for a newline. A child that
 * writes megabytes without one (a binary blob, a minified JSON log) would otherwise grow one string
 * without bound; past this it is handed on in pieces of this size.
 */
export const MAX_PENDING_LINE = 256 * 1024;

function toResult(r: { exitCode?: number | undefined; stdout?: unknown; stderr?: unknown; code?: string; isCanceled?: boolean; timedOut?: boolean; isTerminated?: boolean }): ExecResult {
  return {
    exitCode: r.exitCode ?? null,
    stdout: typeof r.stdout === 'string' ? r.stdout : '',
    stderr: typeof r.stderr === 'string' ? r.stderr : '',
    notFound: r.code === 'ENOENT',
    cancelled: Boolean(r.isCanceled || r.timedOut),
  };
}

/** The real {@link Exec}, backed by execa. */
export const realExec: Exec = {
  async run(file, args, options = {}) {
    const r = await execa(file, [...args], {
      cwd: options.cwd,
      env: options.env as NodeJS.ProcessEnv | undefined,
      extendEnv: options.env === undefined,
      cancelSignal: options.signal,
      timeout: options.timeoutMs,
      reject: false,
      stdin: 'ignore',
      stripFinalNewline: true,
    });
    return toResult(r as Parameters<typeof toResult>[0]);
  },

  stream(file, args, onLine, options = {}) {
    const child = execa(file, [...args], {
      cwd: options.cwd,
      env: options.env as NodeJS.ProcessEnv | undefined,
      extendEnv: options.env === undefined,
      cancelSignal: options.signal,
      reject: false,
      stdin: 'ignore',
      buffer: false,
      // Own process group so that stop() can end the child and everything it started.
      detached: true,
    });
    const feed = (from: 'stdout' | 'stderr') => {
      let rest = '';
      const s = child[from];
      s?.setEncoding('utf8');
      s?.on('data', (chunk: string) => {
        const parts = (rest + chunk).split(/\r?\n/);
        rest = parts.pop() ?? '';
        for (const p of parts) onLine(p, from);
        while (rest.length > MAX_PENDING_LINE) {
          onLine(rest.slice(0, MAX_PENDING_LINE), from);
          rest = rest.slice(MAX_PENDING_LINE);
        }
      });
      s?.on('end', () => {
        if (rest !== '') onLine(rest, from);
        rest = '';
      });
    };
    feed('stdout');
    feed('stderr');
    let stopped = false;
    const stop = () => {
      if (stopped) return;
      stopped = true;
      const pid = child.pid;
      if (pid !== undefined && pid > 1) {
        try {
          process.kill(-pid, 'SIGTERM');
        } catch {
          // Already gone.
        }
      }
    };
    const done = child.then(
      (r) => toResult(r as Parameters<typeof toResult>[0]),
      (e: unknown) => toResult(e as Parameters<typeof toResult>[0]),
    );
    return { done, stop };
  },
};

/** Outcome of {@link runWithInput}: stdout as bytes, bounded. */
export interface BytesResult {
  readonly exitCode: number | null;
  readonly stdout: Buffer;
  /** The last 8 KiB of stderr, as text (for error messages; the caller cleans it). */
  readonly stderr: string;
  readonly notFound: boolean;
  readonly cancelled: boolean;
  /** stdout passed `maxBytes`: the child was ended and `stdout` is cut. */
  readonly tooLarge: boolean;
}

/**
 * Runs `file` with `input` on its stdin and collects at most `maxBytes` of stdout as bytes (for output
 * from another machine, which must not grow without bound). Never throws.
 */
export async function runWithInput(file: string, args: readonly string[], input: string, options: ExecOptions & { readonly maxBytes: number }): Promise<BytesResult> {
  const r = await execa(file, [...args], {
    cwd: options.cwd,
    env: options.env as NodeJS.ProcessEnv | undefined,
    extendEnv: options.env === undefined,
    cancelSignal: options.signal,
    timeout: options.timeoutMs,
    reject: false,
    input,
    encoding: 'buffer',
    maxBuffer: { stdout: options.maxBytes, stderr: 1024 * 1024 },
    stripFinalNewline: false,
  });
  const bytes = (v: unknown): Buffer => (v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength) : Buffer.alloc(0));
  const err = bytes(r.stderr);
  return {
    exitCode: r.exitCode ?? null,
    stdout: bytes(r.stdout),
    stderr: err.subarray(Math.max(0, err.length - 8192)).toString('utf8'),
    notFound: (r as { code?: string }).code === 'ENOENT',
    cancelled: Boolean(r.isCanceled || r.timedOut),
    tooLarge: Boolean(r.isMaxBuffer),
  };
}

/** A child whose stdin and stdout are a byte stream (an `ssh -W` tunnel). */
export interface PipedChild {
  readonly stdin: NodeJS.WritableStream;
  readonly stdout: NodeJS.ReadableStream;
  /** Resolves when the child has ended. */
  readonly done: Promise<void>;
  stop(): void;
}

/** Spawns `file` with piped stdin/stdout and stderr ignored; for byte tunnels. */
export function spawnPiped(file: string, args: readonly string[]): PipedChild {
  const child = execa(file, [...args], { stdin: 'pipe', stdout: 'pipe', stderr: 'ignore', buffer: false, reject: false });
  const done = child.then(() => undefined, () => undefined);
  return {
    stdin: child.stdin as NodeJS.WritableStream,
    stdout: child.stdout as NodeJS.ReadableStream,
    done,
    stop: () => {
      child.kill('SIGTERM');
    },
  };
}
