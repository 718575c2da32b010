import path from 'node:path';
import { render } from 'ink';
import type { ParsedArgs } from '../cli/args.js';
import { wantsColor, type CliContext } from '../cli/context.js';
import { UsageError } from '../core/errors.js';
import { loadWorld, takeSnapshot, type World } from '../cli/world.js';
import { LOCAL_TARGET } from '../core/hosts.js';
import { requestedHosts, sshSettings } from '../cli/host-flags.js';
import type { HostProbe } from '../cli/hosts.js';
import { HostsPoller } from './hosts-poller.js';
import type { Killer } from './killer.js';
import { checkHealth } from '../actions/health.js';
import { App } from './App.js';
import { CrashBoundary } from './components/CrashBoundary.js';
import { TerminalBridge } from './components/TerminalBridge.js';
import { Suspender } from './suspend.js';
import { LiveStore, Poller } from './live.js';
import { HealthRunner } from '../actions/health-runner.js';
import { whenIdle } from './idle.js';
import { enterScreen, leaveScreen, type Screen } from './screen.js';

/** Health probes run on their own, slower cadence than socket polls. */
export const HEALTH_INTERVAL_MS = 10_000;

/** Shortest `--interval` in seconds: a smaller period would only burn CPU. */
export const MIN_INTERVAL_S = 0.2;
/**
 * Longest `--interval` in seconds (one day). Node timers hold at most 2^31-1 ms (~24.8 days); a
 * longer period is silently turned into 1 ms, i.e. a probe pass after every pass: a spinning TUI.
 */
export const MAX_INTERVAL_S = 86_400;

/** `--interval` in ms (default 2 s), between {@link MIN_INTERVAL_S} and {@link MAX_INTERVAL_S}. */
export function intervalMs(args: ParsedArgs): number {
  const raw = args.flags.interval;
  if (raw === undefined) return 2000;
  if (typeof raw !== 'number' || !(raw >= MIN_INTERVAL_S && raw <= MAX_INTERVAL_S)) {
    throw new UsageError(`option --interval needs a number of seconds from ${MIN_INTERVAL_S} to ${MAX_INTERVAL_S} (got ${JSON.stringify(raw)})`);
  }
  return Math.round(raw * 1000);
}

/** Every `--host` polled on its own into one merged snapshot (see HostsPoller). */
async function hostsPoller(targets: readonly string[], world: World, args: ParsedArgs, ctx: CliContext, store: LiveStore, period: number): Promise<HostsPoller> {
  const { collectHost, hostProbes } = await import('../cli/hosts.js');
  const probes = new Map(hostProbes(targets, world, sshSettings(args, ctx)).map((h) => [h.target, h]));
  return new HostsPoller({
    targets,
    collect: (t) => collectHost(probes.get(t) as HostProbe, world),
    onSnapshot: (snap) => store.pushSnapshot(snap, Date.now()),
    intervalMs: period,
  });
}

/** A killer per remote target, freezing from that host's own newest snapshot (made once per target). */
async function remoteKillers(hosts: HostsPoller, args: ParsedArgs, ctx: CliContext): Promise<(host: string) => Killer> {
  const { remoteKiller } = await import('./remote-killer.js');
  const ssh = sshSettings(args, ctx);
  const made = new Map<string, Killer>();
  return (host) => {
    let k = made.get(host);
    if (k === undefined) made.set(host, (k = remoteKiller(host, ssh, () => hosts.snapshotOf(host))));
    return k;
  };
}

/** How the session ended: exit code, and an error to report after the terminal is restored. */
interface Ending {
  readonly code: number;
  readonly error?: unknown;
}

/**
 * `vhtop` without a command. On a terminal: the live screen until q / Ctrl-C (0), SIGTERM (143),
 * SIGHUP (129) or end of stdin (0). Without a terminal on stdout: `notOnTerminal` (the `list` table once).
 */
export async function runTui(args: ParsedArgs, ctx: CliContext, notOnTerminal: () => Promise<number>): Promise<number> {
  // Validated whether or not a screen follows: a bad flag is a usage error in a pipe too.
  const period = intervalMs(args);
  if (ctx.stdout.isTTY !== true) {
    return notOnTerminal();
  }
  // Bad registry / flags fail here, before the screen is touched, as one line with exit 2.
  const world = await loadWorld(args, ctx, { live: true });
  const store = new LiveStore();
  const targets = requestedHosts(args, ctx.env);
  const hosts = targets === null ? null : await hostsPoller(targets, world, args, ctx, store, period);
  const poller: Pick<Poller, 'start' | 'stop' | 'pause' | 'resume' | 'poll'> =
    hosts ??
    new Poller({
      collect: () => takeSnapshot(world),
      onSnapshot: (snap) => store.pushSnapshot(snap, Date.now()),
      onError: (e) => store.pushError(e),
      intervalMs: period,
    });
  // A remote row's pid is not a pid of this machine: its kill dialog acts through that host's
  // killer (ssh, start time re-checked there), and health probes run for this machine's services only.
  const remoteKiller = hosts === null ? undefined : await remoteKillers(hosts, args, ctx);
  const health = new HealthRunner({
    check: checkHealth,
    catalogue: world.catalogue,
    snapshot: () => (hosts ? hosts.snapshotOf(LOCAL_TARGET) : store.get().snapshot),
    onResults: (r) => store.pushHealth(r),
    intervalMs: HEALTH_INTERVAL_MS,
  });
  // The first health round waits for the first snapshot, and then for the start-up work to end
  // (the first frames render meanwhile): a probe's latency counts until its answer is handled.
  const unsubscribeFirst = store.subscribe(() => {
    if (store.get().snapshot) {
      unsubscribeFirst();
      void whenIdle().then(() => health.run());
    }
  });

  const stdout = process.stdout;
  const stdin = process.stdin;
  const screen: Screen = enterScreen(stdout);
  let finish: (ending: Ending) => void = () => undefined;
  const ended = new Promise<Ending>((resolve) => {
    finish = resolve;
  });
  const size = () => ({ width: stdout.columns || 80, height: stdout.rows || 24 });
  const onCrash = (error: unknown) => finish({ code: 70, error });
  let redraw = (): void => undefined;
  const setRedraw = (fn: () => void): void => {
    redraw = fn;
  };
  const suspender = new Suspender({
    screen,
    setRawMode: stdin.isTTY ? (raw) => stdin.setRawMode(raw) : undefined,
    redraw: () => redraw(),
  });
  const problems = args.flags.problems === true ? true : undefined;
  const element = () => (
    <CrashBoundary onError={onCrash}>
      <TerminalBridge onRedraw={setRedraw}>
        <App
          store={store}
          {...size()}
          readOnly={args.flags['read-only'] === true}
          {...(remoteKiller !== undefined ? { remoteKiller } : {})}
          color={wantsColor(args, ctx)}
          profile={world.profile}
          registryFile={world.catalogue.file}
          catalogueNote={world.catalogue.imported === true ? `catalogue: ${path.basename(world.catalogue.file)}, imported` : null}
          composeFile={null}
          cwd={ctx.cwd}
          intervalMs={period}
          onRefresh={() => {
            void poller.poll().then(() => whenIdle({ maxMs: 1000 })).then(() => health.run());
          }}
          onPause={(paused) => {
            if (paused) {
              poller.pause();
              health.pause();
            } else {
              poller.resume();
              health.start();
            }
          }}
          onQuit={() => finish({ code: 0 })}
          onSuspend={() => suspender.suspend()}
          problems={problems}
        />
      </TerminalBridge>
    </CrashBoundary>
  );
  // patchConsole off: nothing here logs to the console while the screen is up, and the patch would
  // only add a layer to every write. (Ink's incrementalRendering was tried: it garbled the screen in
  // tmux when the number of lines changed, e.g. a notice line appearing; see test/e2e/tui.test.ts.)
  const instance = render(element(), { stdout, stdin, exitOnCtrlC: false, maxFps: 20, patchConsole: false });
  const onResize = () => instance.rerender(element());
  const signals: [NodeJS.Signals, number][] = [
    ['SIGTERM', 143],
    ['SIGHUP', 129],
    ['SIGINT', 130],
  ];
  const onSignal = signals.map(([sig, code]) => [sig, () => finish({ code })] as const);
  const onEnd = () => finish({ code: 0 });
  stdout.on('resize', onResize);
  for (const [sig, fn] of onSignal) process.on(sig, fn);
  suspender.install();
  stdin.on('end', onEnd);
  stdin.on('close', onEnd);
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  instance.waitUntilExit().then(
    () => finish({ code: 0 }),
    (e: unknown) => finish({ code: 70, error: e }),
  );
  if (!stdin.isTTY) stdin.resume(); // without a terminal on stdin, only its end matters

  poller.start();
  health.start();
  const ending = await ended;

  // Teardown: stop producing data, unmount (ends the log pane's children), restore the terminal.
  poller.stop();
  health.stop();
  stdout.off('resize', onResize);
  for (const [sig, fn] of onSignal) process.off(sig, fn);
  suspender.dispose();
  stdin.off('end', onEnd);
  stdin.off('close', onEnd);
  try {
    instance.unmount();
  } catch {
    // Unmounting a crashed tree can throw; the terminal is restored below either way.
  }
  leaveScreen(screen);
  stdin.pause();
  stdin.unref?.();
  process.off('uncaughtException', onCrash);
  process.off('unhandledRejection', onCrash);
  if (ending.error !== undefined) throw ending.error; // cli.tsx prints one line, exit 70
  return ending.code;
}
