import { useEffect, useRef, useState } from 'react';
import { openExclusiveLogStream, type LogStream } from '../../actions/compose-logs.js';
import { realExec, type Exec } from '../../actions/exec.js';
import { describeSource, pickLogSource, type LogRequest } from '../../actions/log-source.js';
import { cleanText } from '../../core/sanitize.js';
import { LogBuffer } from '../log-buffer.js';

/** Lines kept by a log pane: thousands, never unbounded. */
export const LOG_PANE_CAPACITY = 5000;

/** What the pane shows besides the lines. */
export interface LogStreamState {
  /** The command line being run, or the service label before it is known. */
  readonly title: string;
  /** A status or error line (e.g. "docker not installed"), null while lines flow. */
  readonly message: string | null;
  readonly running: boolean;
}

/**
 * Opens the log source of `req` once (the pane remounts for another service) and stops its child
 * when the pane unmounts. Re-renders are batched: a burst of lines costs one render, not thousands.
 */
export function useLogStream(req: LogRequest, exec: Exec = realExec): { buffer: LogBuffer; version: number; state: LogStreamState } {
  const buffer = useRef(new LogBuffer(LOG_PANE_CAPACITY)).current;
  const [version, setVersion] = useState(0);
  const [state, setState] = useState<LogStreamState>({ title: cleanText(req.label), message: 'starting…', running: false });
  const reqRef = useRef(req);

  useEffect(() => {
    let cancelled = false;
    let stream: LogStream | null = null;
    let timer: NodeJS.Timeout | null = null;
    const flush = () => {
      timer = null;
      if (!cancelled) setVersion((v) => v + 1);
    };
    const r = reqRef.current;
    void (async () => {
      let source;
      try {
        source = await pickLogSource(r, exec);
      } catch (e) {
        if (!cancelled) setState({ title: cleanText(r.label), message: cleanText(e instanceof Error ? e.message : String(e)), running: false });
        return;
      }
      if (cancelled) return;
      if (source.kind === 'unavailable') {
        setState({ title: cleanText(r.label), message: source.message, running: false });
        return;
      }
      setState({ title: cleanText(describeSource(source)), message: null, running: true });
      stream = openExclusiveLogStream(
        source,
        exec,
        (line) => {
          buffer.push(line);
          timer ??= setTimeout(flush, 50);
        },
        r.env,
      );
      const end = await stream.done;
      if (cancelled) return;
      flush();
      setState((s) => ({ ...s, running: false, message: end.kind === 'failed' ? end.message : 'stream ended' }));
    })();
    return () => {
      cancelled = true;
      stream?.stop();
      if (timer) clearTimeout(timer);
    };
  }, [buffer, exec]);

  return { buffer, version, state };
}
