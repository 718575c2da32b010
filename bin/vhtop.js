#!/usr/bin/env node
// Tiny on purpose: all logic lives in the built CLI.
import('../dist/cli.js').then((m) => m.main(process.argv.slice(2)));
