/**
 * A growable UTF-8 byte buffer for writing JSON text without making strings: at 15k sockets the
 * `--json --all` listeners are ~9 MB, and building them as strings left ~40 MB of partial strings
 * for the garbage collector. Plain ASCII goes in byte by byte; anything else is encoded by
 * TextEncoder. The buffer is reused: `bytes()` is a view that the next write may overwrite.
 */
const encoder = new TextEncoder();

/** Worst case UTF-8 bytes of one UTF-16 code unit. */
const MAX_BYTES_PER_UNIT = 3;

/** Digits of integers up to this are written by hand; anything else as its JavaScript text. */
const MAX_PLAIN_INTEGER = 2 ** 31 - 1;

/** The bytes of a constant piece of text, encoded once. */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

export class ByteText {
  private buffer: Uint8Array;
  private used = 0;

  constructor(capacity = 64 * 1024) {
    this.buffer = new Uint8Array(capacity);
  }

  /** The bytes written since the last {@link clear}; valid until the next write. */
  bytes(): Uint8Array {
    return this.buffer.subarray(0, this.used);
  }

  get length(): number {
    return this.used;
  }

  clear(): void {
    this.used = 0;
  }

  /** A copy of the bytes written since `start` (a {@link length} taken earlier). */
  copyFrom(start: number): Uint8Array {
    return this.buffer.slice(start, this.used);
  }

  private room(bytes: number): void {
    if (this.used + bytes <= this.buffer.length) return;
    const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.used + bytes));
    grown.set(this.buffer.subarray(0, this.used));
    this.buffer = grown;
  }

  /** Pre-encoded bytes. */
  raw(bytes: Uint8Array): void {
    this.room(bytes.length);
    this.buffer.set(bytes, this.used);
    this.used += bytes.length;
  }

  /** Any text, as UTF-8. */
  text(s: string): void {
    this.room(s.length * MAX_BYTES_PER_UNIT);
    this.used += encoder.encodeInto(s, this.buffer.subarray(this.used)).written;
  }

  /**
   * `s` between quotes when it is printable ASCII without a quote or a backslash (what
   * JSON.stringify copies unchanged): true. Else nothing is written and the answer is false.
   */
  quotedAscii(s: string): boolean {
    const n = s.length;
    this.room(n + 2);
    const b = this.buffer;
    let at = this.used;
    b[at++] = 0x22;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c < 0x20 || c > 0x7f || c === 0x22 || c === 0x5c) return false;
      b[at++] = c;
    }
    b[at++] = 0x22;
    this.used = at;
    return true;
  }

  /** A number as JSON.stringify writes it. */
  number(n: number): void {
    if (!(Number.isInteger(n) && n >= 0 && n <= MAX_PLAIN_INTEGER)) {
      this.text(Number.isFinite(n) ? `${n}` : 'null');
      return;
    }
    let digits = 1;
    for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) digits++;
    this.room(digits);
    const b = this.buffer;
    let at = this.used + digits;
    this.used = at;
    let rest = n;
    do {
      b[--at] = 0x30 + (rest % 10);
      rest = Math.floor(rest / 10);
    } while (rest > 0);
  }
}
