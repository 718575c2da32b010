/**
 * A bounded ring of log lines: a `docker compose logs --follow` can run for days, so the pane keeps
 * the newest `capacity` lines and forgets the rest. Lines are numbered absolutely (first line ever
 * pushed = 0) so that a scroll position stays on the same line while old lines drop off.
 */
export class LogBuffer {
  private readonly lines: string[];
  private start = 0;
  private count = 0;
  /** Lines pushed since creation (also the absolute number of the next line). */
  private pushed = 0;

  /**
   * @param capacity the most lines kept (at least 1).
   * @param maxLine the longest line kept, in UTF-16 units; longer ones are cut and end in an ellipsis (U+2026). Lines
   *   times length is the real bound: 5000 one-megabyte JSON log lines would be gigabytes.
   */
  constructor(
    readonly capacity = 5000,
    readonly maxLine = 4096,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error(`bad log buffer capacity ${capacity}`);
    if (!Number.isInteger(maxLine) || maxLine < 2) throw new Error(`bad log buffer line length ${maxLine}`);
    this.lines = new Array<string>(capacity);
  }

  /** Appends one line (cut to `maxLine`), dropping the oldest when full. */
  push(line: string): void {
    const at = (this.start + this.count) % this.capacity;
    this.lines[at] = line.length > this.maxLine ? cut(line, this.maxLine - 1) : line;
    if (this.count < this.capacity) this.count++;
    else this.start = (this.start + 1) % this.capacity;
    this.pushed++;
  }

  /** Lines held now. */
  get size(): number {
    return this.count;
  }

  /** Absolute number of the oldest line held. */
  get first(): number {
    return this.pushed - this.count;
  }

  /** Absolute number one past the newest line. */
  get end(): number {
    return this.pushed;
  }

  /** The line with absolute number `n`, or undefined when dropped or not yet pushed. */
  at(n: number): string | undefined {
    if (n < this.first || n >= this.end) return undefined;
    return this.lines[(this.start + (n - this.first)) % this.capacity];
  }

  /** Lines with absolute numbers in [from, to), clipped to what is held. */
  slice(from: number, to: number): string[] {
    const out: string[] = [];
    for (let n = Math.max(from, this.first); n < Math.min(to, this.end); n++) out.push(this.at(n) as string);
    return out;
  }

  /**
   * The nearest line number from `from` going `direction` (-1 older, +1 newer) whose text contains
   * `query` (case-insensitive), or null.
   */
  find(query: string, from: number, direction: 1 | -1): number | null {
    if (query === '') return null;
    const q = query.toLowerCase();
    for (let n = from; n >= this.first && n < this.end; n += direction) {
      if ((this.at(n) as string).toLowerCase().includes(q)) return n;
    }
    return null;
  }
}

/**
 * The first `n` units of `line` plus `…`, as a fresh string: V8 may keep a slice() pointing into the
 * whole original, so a round trip through a Buffer makes sure the long line can be freed. (A
 * surrogate pair cut in half becomes U+FFFD.)
 */
function cut(line: string, n: number): string {
  return `${Buffer.from(line.slice(0, n), 'utf8').toString('utf8')}…`;
}
