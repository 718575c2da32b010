import { describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readlinkSync, realpathSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { cleanText, hasControlChars, typedText } from '../../src/core/sanitize.js';
import { readProcessInfo } from '../../src/probe/proc-process.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/poll.js';

describe('cleanText', () => {
  it.each([
    ['plain text', 'plain text'],
    ['中文名称', '中文名称'],
    ['clear\x1b[2Jscreen', 'clearscreen'],
    ['colour \x1b[31;1mred\x1b[0m', 'colour red'],
    ['title \x1b]0;owned\x07 after', 'title  after'],
    ['osc with st \x1b]8;;http://x\x1b\\link', 'osc with st link'],
    ['8-bit csi \x9b2J done', '8-bit csi  done'],
    ['bell\x07 and nul\x00', 'bell\ufffd and nul\ufffd'],
    ['del\x7f', 'del\ufffd'],
    ['c1 \x85 next line', 'c1 \ufffd next line'],
    ['bidi \u202egnp.exe', 'bidi \ufffdgnp.exe'],
    ['isolate \u2066x\u2069', 'isolate \ufffdx\ufffd'],
    ['tab\there', 'tab here'],
    ['python3 -c import os\nos.getpid()', 'python3 -c import os os.getpid()'],
    ['crlf\r\nline', 'crlf line'],
    ['lone cr\rover', 'lone cr over'],
    ['vertical\x0btab', 'vertical\ufffdtab'],
    ['\x1b[2J\x1b[31m', '\ufffd\ufffd'],
    ['\x1b]0;title\x07', '\ufffd'],
    ['\x9b2J', '\ufffd'],
    ['line\u2028separator', 'line\ufffdseparator'],
    ['para\u2029separator', 'para\ufffdseparator'],
    ['zero\u200bwidth\u200c\u200d joiners', 'zero\ufffdwidth\ufffd\ufffd joiners'],
    ['word\u2060joiner', 'word\ufffdjoiner'],
    ['\ufeffbom', '\ufffdbom'],
    ['mongolian\u180evowel', 'mongolian\ufffdvowel'],
    ['narrow\u202fno-break space stays', 'narrow\u202fno-break space stays'],
  ])('%j -> %j', (input, expected) => {
    expect(cleanText(input)).toBe(expected);
  });

  it('leaves nothing a terminal would interpret', () => {
    const all = Array.from({ length: 0xa0 }, (_, i) => String.fromCharCode(i)).join('');
    expect(cleanText(all)).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
  });

  it('reports whether text needed cleaning', () => {
    expect(hasControlChars('ok')).toBe(false);
    expect(hasControlChars('x\x1b[0m')).toBe(true);
  });
});

describe('typedText (the / filter)', () => {
  it.each([
    ['8080', '8080'],
    ['py\x1b[31mthon', 'python'],
    ['a\u2028b\u200bc\ufeff', 'abc'],
    ['tab\tnew\nline', 'tabnewline'],
    ['网关', '网关'],
  ])('%j -> %j', (input, expected) => expect(typedText(input)).toBe(expected));
});

describe('a real process named only with escape sequences', () => {
  it('keeps a visible PROCESS and COMMAND', async () => {
    const tmp = tempDir();
    const name = '\x1b[2J\x1b[31m';
    // comm follows the name of the executed path; argv[0] is set to the same escapes, no other argument.
    const target = execFileSync('sh', ['-c', 'command -v cat'], { encoding: 'utf8' }).trim();
    symlinkSync(target, path.join(tmp.dir, name));
    const exec = 'import os, sys; os.execv(sys.argv[1], [sys.argv[2]])';
    // The system python where there is one: a version manager's shim is a shell script, slow under load.
    const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';
    const child = spawn(python, ['-c', exec, path.join(tmp.dir, name), name], { stdio: ['pipe', 'ignore', 'ignore'] });
    try {
      const pid = child.pid as number;
      const cat = realpathSync(target);
      await waitFor(() => {
        try {
          return readlinkSync(`/proc/${pid}/exe`) === cat;
        } catch {
          return false;
        }
      }, 60_000);
      const info = readProcessInfo(pid);
      expect(info?.name).toBe('\ufffd\ufffd');
      expect(info?.command).toBe('\ufffd\ufffd');
    } finally {
      child.kill('SIGKILL');
      tmp.remove();
    }
  });
});
