import type { HealthResult, Listener, Snapshot } from '../core/types.js';
import { type CpuSample, cpuPercentages } from './cpu.js';
import { effectiveSort, SORTS, type ColumnUse } from './columns.js';
import { cellWidth } from '../presentation/cells.js';
import { buildRows, isProblemListener, ListenerRow, listenerSortKey, matchesFilter, problemRows, type Row } from './view-model.js';
import type { ViewName } from './columns.js';
import { sortKey } from './row-sort.js';

/** The rows of one view as the table shows them: filtered and sorted, built only where looked at. */
export interface TableModel {
  /** Rows after filtering. */
  readonly length: number;
  /** Rows before filtering. */
  readonly total: number;
  /** Row at position `i` (built on first use: only the visible ones ever are). */
  rowAt(i: number): Row | undefined;
  /** Rows `from` (inclusive) to `to` (exclusive). */
  slice(from: number, to: number): Row[];
  /** Position of the row with identity `id`, or -1 (a map, built on the first call). */
  indexOf(id: string): number;
  /** All identities in order (built on the first call). */
  ids(): readonly string[];
  /** What each column holds across all rows (before filtering), for the layout; null = unknown. */
  readonly use: readonly ColumnUse[] | null;
}

/** Inputs of one table: everything the rows depend on. */
export interface TableInputs {
  readonly view: ViewName;
  readonly snapshot: Snapshot | null;
  readonly previous: CpuSample | null;
  readonly health: ReadonlyMap<string, HealthResult>;
  readonly filter: string;
  readonly sort: number;
  /** Only what needs attention (the problems-only view). */
  readonly problems?: boolean;
}

/**
 * What a table is made of: items, and how to get a row's identity, sort key and Row from one. The
 * Listeners view works on the snapshot's listeners directly, so a refresh allocates nothing per
 * socket; the small views use prebuilt rows.
 */
interface Source<T> {
  readonly items: readonly T[];
  /** Column contents of all items (computed once per source). */
  readonly use: readonly ColumnUse[] | null;
  id(item: T): string;
  key(item: T, k: number): string | number;
  row(item: T): Row;
}

/**
 * Column contents of the Listeners view from the listeners' fields, without building a cell: the
 * view can hold every socket of the machine. Parallel to COLUMNS.listeners.
 */
function listenerUse(items: readonly Listener[]): ColumnUse[] {
  let address = 0;
  let pid = false;
  let user = false;
  let service = false;
  let flags = false;
  let command = false;
  for (const l of items) {
    if (l.address.length > address) address = l.address.length;
    pid ||= l.pid !== null;
    user ||= l.user !== null;
    service ||= l.service !== null;
    flags ||= l.exposed || l.dockerProxy;
    command ||= l.command !== null;
  }
  const some = (has: boolean, width = 1): ColumnUse => ({ empty: !has, width });
  const any = items.length > 0;
  return [some(any), some(any), some(any, address), some(any), some(pid), some(any), some(user), some(service), some(flags), some(command)];
}

/** Column contents of prebuilt rows: "-" everywhere is empty; widths by terminal cells. */
function rowUse(rows: readonly Row[]): ColumnUse[] | null {
  const first = rows[0];
  if (!first) return null;
  return first.cells.map((_, i) => {
    let width = 0;
    let empty = true;
    for (const r of rows) {
      const text = r.cells[i]?.text ?? '';
      if (text !== '' && text !== '-') empty = false;
      const w = cellWidth(text);
      if (w > width) width = w;
    }
    return { empty, width };
  });
}

function listenerSource(items: readonly Listener[]): Source<Listener> {
  let memo: ColumnUse[] | null = null;
  return {
    items,
    get use() {
      return (memo ??= listenerUse(items));
    },
    id: (l) => l.key,
    key: listenerSortKey,
    row: (l) => new ListenerRow(l),
  };
}

function rowSource(items: readonly Row[]): Source<Row> {
  let memo: ColumnUse[] | null | undefined;
  return {
    items,
    get use() {
      return memo === undefined ? (memo = rowUse(items)) : memo;
    },
    id: (r) => r.id,
    key: sortKey,
    row: (r) => r,
  };
}

/** One computed order, kept so that the next refresh can reuse it. */
interface Ordered {
  readonly source: Source<unknown>;
  readonly view: ViewName;
  readonly sort: number;
  readonly filter: string;
  /** Item positions in display order. */
  readonly order: Int32Array;
}

/**
 * Memo of the view model, one per mounted App. Not React state on purpose: the App also asks for a
 * model outside render, to decide whether a new snapshot changes the screen at all.
 *
 * A refresh whose items have the same ids and sort keys in the same positions as last time (the
 * usual tick: nothing moved) reuses the last order in one allocation-free pass instead of sorting
 * again; rows are built only for the positions that are drawn.
 */
export class TableModels {
  private cpuMemo: { snapshot: Snapshot; previous: CpuSample | null; cpu: Map<number, number> } | null = null;
  private sourceMemo: { view: ViewName; snapshot: Snapshot; health: unknown; cpu: unknown; problems: boolean; source: Source<unknown> } | null = null;
  private readonly ordered = new Map<ViewName, Ordered>();
  private modelMemo: { ordered: Ordered; model: TableModel } | null = null;

  /** The table for `inputs`, reusing every stage whose inputs are unchanged. */
  get(inputs: TableInputs): TableModel {
    const { view, snapshot } = inputs;
    if (!snapshot) return makeModel(listenerSource([]) as Source<unknown>, new Int32Array(0));
    const source = this.source(view, snapshot, inputs);
    const before = this.ordered.get(view);
    const filter = inputs.filter.trim().toLowerCase();
    const sort = effectiveSort(view, inputs.sort, inputs.problems === true);
    let ordered: Ordered;
    if (before && before.source === source && before.sort === sort && before.filter === filter) {
      ordered = before;
    } else {
      const order = before && sameOrderInputs(before, source, view, sort, filter) ? before.order : orderOf(source, view, sort, filter);
      ordered = { source, view, sort, filter, order };
      this.ordered.set(view, ordered);
    }
    if (this.modelMemo?.ordered === ordered) return this.modelMemo.model;
    const model = makeModel(source, ordered.order);
    this.modelMemo = { ordered, model };
    return model;
  }

  private cpu(snapshot: Snapshot, previous: CpuSample | null): Map<number, number> {
    const m = this.cpuMemo;
    if (m && m.snapshot === snapshot && m.previous === previous) return m.cpu;
    const cpu = cpuPercentages(previous, snapshot);
    this.cpuMemo = { snapshot, previous, cpu };
    return cpu;
  }

  private source(view: ViewName, snapshot: Snapshot, inputs: TableInputs): Source<unknown> {
    // Only the Processes view shows CPU%, only the Services view health: other views ignore them.
    const cpu = view === 'processes' ? this.cpu(snapshot, inputs.previous) : null;
    const health = view === 'services' ? inputs.health : null;
    const problems = inputs.problems === true && view !== 'processes';
    const m = this.sourceMemo;
    if (m && m.view === view && sameRows(view, m.snapshot, snapshot) && m.health === health && m.cpu === cpu && m.problems === problems) return m.source;
    const extras = { health: inputs.health, cpu: cpu ?? new Map<number, number>() };
    let source: Source<Listener> | Source<Row>;
    if (view === 'listeners') source = listenerSource(problems ? snapshot.listeners.filter(isProblemListener) : snapshot.listeners);
    else source = rowSource(problems ? problemRows(snapshot, extras) : buildRows(view, snapshot, extras));
    this.sourceMemo = { view, snapshot, health, cpu, problems, source: source as Source<unknown> };
    return source as Source<unknown>;
  }
}

/**
 * `b` makes the rows `a` made in `view`: the same snapshot, or (outside the Processes view, whose CPU
 * and memory change on every refresh) one whose classification was reused as a whole, so its
 * listener and service arrays are the very same.
 */
function sameRows(view: ViewName, a: Snapshot, b: Snapshot): boolean {
  return a === b || (view !== 'processes' && a.listeners === b.listeners && a.services === b.services && a.host === b.host && a.hosts === b.hosts);
}

/**
 * Same view, sort and (empty) filter, and every item has the id and sort key that the item in the
 * same position had: the old order is still right. A filter is re-applied instead (search text
 * can change without the id changing).
 */
function sameOrderInputs(before: Ordered, source: Source<unknown>, view: ViewName, sort: number, filter: string): boolean {
  if (before.view !== view || before.sort !== sort || filter !== '' || before.filter !== '') return false;
  const a = before.source;
  if (a.items.length !== source.items.length) return false;
  const k = sort % SORTS[view].length;
  for (let i = 0; i < a.items.length; i++) {
    const x = a.items[i];
    const y = source.items[i];
    if (x !== y && (a.id(x) !== source.id(y) || a.key(x, k) !== source.key(y, k))) return false;
  }
  return true;
}

/** Display order of `source`: filtered, then sorted by choice `sort` (ties by id so rows do not jitter). */
function orderOf(source: Source<unknown>, view: ViewName, sort: number, filter: string): Int32Array {
  const { items } = source;
  let order = new Int32Array(items.length);
  let n = 0;
  for (let i = 0; i < items.length; i++) {
    if (filter === '' || matchesFilter(source.row(items[i]), filter)) order[n++] = i;
  }
  order = order.subarray(0, n);
  const specs = SORTS[view];
  const k = sort % specs.length;
  const sign = specs[k]?.descending ? -1 : 1;
  const compare = (a: number, b: number): number => {
    const x = source.key(items[a], k);
    const y = source.key(items[b], k);
    if (x < y) return -sign;
    if (x > y) return sign;
    const p = source.id(items[a]);
    const q = source.id(items[b]);
    return p < q ? -1 : p > q ? 1 : 0;
  };
  // The snapshot's own order often is the display order already: one pass instead of a sort.
  for (let j = 1; j < n; j++) if (compare(order[j - 1] as number, order[j] as number) > 0) return order.sort(compare);
  return order;
}

function makeModel(source: Source<unknown>, order: Int32Array): TableModel {
  const built = new Map<number, Row>();
  let positions: Map<string, number> | null = null;
  let ids: string[] | null = null;
  const rowAt = (i: number): Row | undefined => {
    if (i < 0 || i >= order.length) return undefined;
    let row = built.get(i);
    if (!row) built.set(i, (row = source.row(source.items[order[i] as number])));
    return row;
  };
  return {
    length: order.length,
    total: source.items.length,
    get use() {
      return source.use;
    },
    rowAt,
    slice(from: number, to: number): Row[] {
      const out: Row[] = [];
      for (let i = Math.max(0, from); i < Math.min(to, order.length); i++) out.push(rowAt(i) as Row);
      return out;
    },
    indexOf(id: string): number {
      if (!positions) {
        positions = new Map();
        for (let i = 0; i < order.length; i++) positions.set(source.id(source.items[order[i] as number]), i);
      }
      return positions.get(id) ?? -1;
    },
    ids(): readonly string[] {
      return (ids ??= Array.from(order, (i) => source.id(source.items[i])));
    },
  };
}
