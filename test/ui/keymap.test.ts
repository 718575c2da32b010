import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { footerHints, helpRows, KEYMAP, keysMarkdown, resolveKey, type Mode } from '../../src/ui/keymap.js';
import { decodeKey } from '../../src/ui/keys.js';

describe('key table', () => {
  it('has no key bound twice in the same mode', () => {
    const seen = new Set<string>();
    for (const b of KEYMAP) {
      for (const mode of b.modes) {
        for (const k of b.keys) {
          const id = `${mode}:${k}`;
          expect(seen.has(id), `${id} bound twice`).toBe(false);
          seen.add(id);
        }
      }
    }
  });

  it('gives every key a distinct short label, so the compact help never lists one twice', () => {
    const shown = helpRows(false).map((r) => `${r.keys} ${r.label}`);
    expect(shown.filter((l, i) => shown.indexOf(l) !== i)).toEqual([]);
  });

  it('binds the CONTRACT keys', () => {
    const expected: [string, string][] = [
      ['up', 'up'], ['k', 'up'], ['down', 'down'], ['j', 'down'], ['pageup', 'page-up'], ['pagedown', 'page-down'],
      ['g', 'top'], ['G', 'bottom'], ['tab', 'next-view'], ['shift-tab', 'prev-view'], ['/', 'filter'], ['s', 'sort'],
      ['x', 'kill'], ['f9', 'kill'], ['l', 'logs'], ['space', 'pause'], ['r', 'refresh'], ['?', 'help'], ['q', 'quit'], ['ctrl-c', 'quit'],
    ];
    for (const [key, intent] of expected) expect(resolveKey(key, 'table', false), key).toBe(intent);
    expect(resolveKey('enter', 'filter', false)).toBe('filter-apply');
    expect(resolveKey('escape', 'filter', false)).toBe('filter-cancel');
    // In filter mode letters are text, not commands.
    expect(resolveKey('q', 'filter', false)).toBeNull();
    expect(resolveKey('ctrl-c', 'filter', false)).toBe('quit');
  });

  it('drops kill entirely under --read-only: keys, footer and help', () => {
    expect(resolveKey('x', 'table', true)).toBeNull();
    expect(resolveKey('f9', 'table', true)).toBeNull();
    expect(footerHints('table', true).some((h) => h.label === 'kill')).toBe(false);
    expect(helpRows(true).some((r) => /kill/.test(r.action))).toBe(false);
    expect(footerHints('table', false).some((h) => h.label === 'kill')).toBe(true);
    expect(helpRows(false).some((r) => /kill/.test(r.action))).toBe(true);
  });

  it('every footer hint names a key the help lists and that resolves to it', () => {
    for (const readOnly of [false, true]) {
      const help = helpRows(readOnly);
      for (const mode of ['table', 'filter', 'help', 'events'] as Mode[]) {
        for (const h of footerHints(mode, readOnly)) {
          expect(help.some((r) => r.keys.split(' ').includes(h.keys)), `${h.keys} in help`).toBe(true);
        }
      }
    }
  });

  it('the event log: e opens it, moving keys scroll it, Esc / e close it, q and Ctrl-C quit', () => {
    expect(resolveKey('e', 'table', false)).toBe('events');
    for (const [key, intent] of [['j', 'down'], ['k', 'up'], ['pagedown', 'page-down'], ['G', 'bottom'], ['escape', 'close-events'], ['e', 'close-events'], ['q', 'quit'], ['ctrl-c', 'quit']]) {
      expect(resolveKey(key as string, 'events', true), key).toBe(intent);
    }
    expect(resolveKey('x', 'events', false)).toBeNull(); // no kill from the log: no row is selected there
  });

  it("README.md's key table is the generated one", () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const m = /<!-- keys:start -->\n([\s\S]*?)\n<!-- keys:end -->/.exec(readme);
    expect(m, 'README has the keys markers').not.toBeNull();
    // To update README.md: replace the text between the markers with keysMarkdown() (src/ui/keymap.ts).
    expect(m?.[1], 'README key table is out of date: paste keysMarkdown() between the markers').toBe(keysMarkdown());
  });
});

describe('decodeKey', () => {
  it('names the keys a terminal sends', () => {
    const cases: [string, string][] = [
      ['\x1b[A', 'up'], ['\x1bOB', 'down'], ['\x1b[5~', 'pageup'], ['\x1b[6~', 'pagedown'], ['\x1b[Z', 'shift-tab'],
      ['\t', 'tab'], ['\r', 'enter'], ['\x1b', 'escape'], ['\x7f', 'backspace'], ['\x1b[20~', 'f9'], ['\x03', 'ctrl-c'],
      [' ', 'space'], ['G', 'G'], ['/', '/'], ['\x1b[99~', 'unknown'],
    ];
    for (const [raw, name] of cases) expect(decodeKey(raw).name, JSON.stringify(raw)).toBe(name);
  });

  it('keeps typed and pasted text but never control characters', () => {
    expect(decodeKey('用').text).toBe('用');
    expect(decodeKey('ab\x07c')).toEqual({ name: 'paste', text: 'abc' });
    expect(decodeKey('\x1b[A').text).toBe('');
  });
});

describe('splitInput', () => {
  it('splits a chunk of typed keys but keeps escape sequences whole', async () => {
    const { splitInput } = await import('../../src/ui/keys.js');
    expect(splitInput('/:80\r').map((k) => k.name)).toEqual(['/', ':', '8', '0', 'enter']);
    expect(splitInput('\x1b[20~').map((k) => k.name)).toEqual(['f9']);
    expect(splitInput('用户').map((k) => k.text)).toEqual(['用', '户']);
  });
});

describe('overlay modes in the key table', () => {
  it('the kill dialog: y kills, t i h k choose, Tab / s cycle, g group, Esc / n cancel; all dangerous', () => {
    const cases: [string, string][] = [['y', 'kill-confirm'], ['t', 'signal-term'], ['i', 'signal-int'], ['h', 'signal-hup'], ['k', 'signal-kill'], ['tab', 'signal-next'], ['s', 'signal-next'], ['g', 'kill-group'], ['escape', 'kill-cancel'], ['n', 'kill-cancel'], ['ctrl-c', 'quit']];
    for (const [key, intent] of cases) expect(resolveKey(key, 'kill', false), key).toBe(intent);
    // Under --read-only the dialog never opens, and its keys leave the help and README with it.
    expect(resolveKey('y', 'kill', true)).toBeNull();
    expect(helpRows(true).some((r) => r.mode === 'kill')).toBe(false);
  });

  it('the log pane: its own keys (not the table\'s), and a search prompt', () => {
    const cases: [string, string][] = [['f', 'log-follow'], ['/', 'log-search'], ['n', 'log-next'], ['N', 'log-prev'], ['escape', 'log-close'], ['q', 'log-close'], ['j', 'down'], ['G', 'bottom'], ['ctrl-z', 'suspend'], ['ctrl-c', 'quit']];
    for (const [key, intent] of cases) expect(resolveKey(key, 'logs', false), key).toBe(intent);
    expect(resolveKey('x', 'logs', false)).toBeNull();
    expect(resolveKey('tab', 'logs', false)).toBeNull();
    expect(resolveKey('enter', 'log-search', false)).toBe('log-search-apply');
    expect(resolveKey('q', 'log-search', false)).toBeNull(); // typed text
    const footer = footerHints('logs', false).map((h) => h.label);
    expect(footer).toEqual(expect.arrayContaining(['follow', 'search', 'close']));
    expect(footer).not.toContain('view');
  });

  it('the help and the README list every mode, each key under the mode it works in', () => {
    const modes = new Set(helpRows(false).map((r) => r.mode));
    for (const m of ['table', 'filter', 'help', 'events', 'kill', 'logs', 'log-search'] as Mode[]) expect(modes.has(m), m).toBe(true);
    expect(keysMarkdown()).toContain('| `y` | kill with the chosen signal (marked ▶) (in the kill dialog) |');
    expect(keysMarkdown()).toContain('| `f` | follow new lines on / off (in the log pane) |');
    expect(keysMarkdown()).toContain('| `Ctrl-U` | clear the filter text (while typing a filter) |');
    expect(keysMarkdown()).toContain('| `!` |');
  });

  it('the filter: / fresh, typed text applies, Ctrl-U clears, Esc leaves; Ctrl-Z suspends from the table and the filter', () => {
    expect(resolveKey('ctrl-u', 'filter', false)).toBe('filter-erase');
    expect(resolveKey('escape', 'filter', false)).toBe('filter-cancel');
    expect(resolveKey('!', 'table', false)).toBe('problems');
    expect(resolveKey('ctrl-z', 'table', false)).toBe('suspend');
    expect(resolveKey('ctrl-z', 'filter', false)).toBe('suspend');
  });
});

describe('splitInput of raw terminal chunks', () => {
  it('splits escape sequences that arrive together (a held arrow key) and keeps Alt-x one unknown key', async () => {
    const { splitInput } = await import('../../src/ui/keys.js');
    expect(splitInput('\x1b[A\x1b[A\x1b[B').map((k) => k.name)).toEqual(['up', 'up', 'down']);
    expect(splitInput('j\x1b[6~k').map((k) => k.name)).toEqual(['j', 'pagedown', 'k']);
    expect(splitInput('\x1b[20~x').map((k) => k.name)).toEqual(['f9', 'x']);
    expect(splitInput('\x1bx').map((k) => k.name)).toEqual(['unknown']);
    expect(splitInput('\x1b').map((k) => k.name)).toEqual(['escape']);
    expect(splitInput('\x1bOA').map((k) => k.name)).toEqual(['up']);
    expect(splitInput('\x1a').map((k) => k.name)).toEqual(['ctrl-z']);
    expect(splitInput('\x15').map((k) => k.name)).toEqual(['ctrl-u']);
  });
});
