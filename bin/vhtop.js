#!/usr/bin/env node
// Tiny on purpose: all logic lives in the built CLI.
// React must run its production build: the development build (the default when NODE_ENV is unset)
// adds prop diffing, performance marks and dev checks to every render, which made the idle TUI cost
// several times more CPU. Set before the CLI (and with it React) is imported; an explicit
// NODE_ENV from the user still wins.
process.env.NODE_ENV ??= 'production';
import('../dist/cli.js').then((m) => m.main(process.argv.slice(2)));
