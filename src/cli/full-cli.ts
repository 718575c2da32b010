/**
 * The hand-over from the CommonJS build of the CLI to the full one.
 *
 * `npm run build` makes two bundles of the same sources. The ES module bundle (dist/bundle/cli.js and
 * its chunks) holds everything. The CommonJS one (dist/bundle/cli.cjs) holds only what the everyday
 * one-shots need — `list`, `check`, `status` on a registry already in the cache — because Node starts
 * a CommonJS program without its ES module loader (measured ~10 % of a `vhtop check`). Every other
 * module that the CommonJS build would load (the TUI, the other commands, the yaml parser, health
 * probes, `--host`, the portable probe) is replaced there by a module that throws {@link NeedsFullCli}
 * when it is first loaded; the CommonJS entry then runs the same invocation again with the full bundle.
 * Those loads all come before a command writes anything.
 */
export class NeedsFullCli extends Error {
  constructor(readonly module: string) {
    super(`${module} is not in this build of the CLI`);
    this.name = 'NeedsFullCli';
  }
}
