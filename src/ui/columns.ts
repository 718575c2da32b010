/** Table columns and sort choices of each view: what the Services, Listeners and Processes tables show. */
import type { Column } from '../presentation/table.js';

/** The three views, in Tab order. */
export type ViewName = 'services' | 'listeners' | 'processes';

/** Tab order of the views. */
export const VIEWS: readonly ViewName[] = ['services', 'listeners', 'processes'];

/** Title of each view for the tab bar. */
export const VIEW_TITLES: Readonly<Record<ViewName, string>> = { services: 'Services', listeners: 'Listeners', processes: 'Processes' };

/**
 * A column of the live table: the commands' {@link Column} (same names, same meanings: `header`,
 * `align`, `flex`, `min`, `drop`, higher drops first) with the sizes the TUI needs always set.
 */
export interface LiveColumn extends Column {
  /** Preferred width in terminal cells. */
  readonly width: number;
  /** Narrowest useful width; a flex column takes the remaining space above it. */
  readonly min: number;
  readonly flex: boolean;
  readonly align: 'left' | 'right';
  /** 0 = never dropped. A droppable column whose cells are empty everywhere gives its width away. */
  readonly drop: number;
  /**
   * Sized to its content and never cut (only dropped, and only after every flex column is at
   * its minimum): an address cut to "0.0.0." or "127.0.0" would hide what makes a socket exposed.
   */
  readonly fit?: boolean;
  /** Stays even when empty everywhere (CPU% is "-" until the second refresh). */
  readonly keepEmpty?: boolean;
}

/** What the cells of one column hold across all rows of a table (for the layout). */
export interface ColumnUse {
  /** Every cell is empty or "-". */
  readonly empty: boolean;
  /** Widest cell in terminal cells. */
  readonly width: number;
}

/** A sort choice of a view. */
export interface SortSpec {
  readonly name: string;
  readonly descending: boolean;
}

const col = (header: string, width: number, drop: number, extra: Partial<LiveColumn> = {}): LiveColumn => ({
  header,
  width,
  min: extra.min ?? width,
  flex: extra.flex ?? false,
  align: extra.align ?? 'left',
  drop,
  ...(extra.fit ? { fit: true } : {}),
  ...(extra.keepEmpty ? { keepEmpty: true } : {}),
});

/**
 * Columns of each view. Status words are never dropped: colour must not carry meaning alone. The
 * address and the exposed mark go last, after the name has shrunk to its minimum: 0.0.0.0 against
 * 127.0.0.1 is what tells an exposed socket from a local one. The service ID (what `why`, `logs`,
 * `check --only` and `kill` take; display names may not be typeable) shows when there is room, else
 * in the detail line under the table.
 */
export const COLUMNS: Readonly<Record<ViewName, readonly LiveColumn[]>> = {
  services: [
    col('STATUS', 10, 0),
    col('ID', 12, 4, { fit: true }),
    col('NAME', 18, 0, { min: 8, flex: true }),
    col('ADDRESS', 9, 1, { fit: true }),
    col('PORT', 5, 0, { align: 'right' }),
    col('FLAGS', 7, 1),
    col('ENV', 16, 7, { min: 10 }),
    col('PID', 7, 5, { align: 'right' }),
    col('PROCESS', 12, 3, { min: 8 }),
    col('CONN', 4, 8, { align: 'right' }),
    col('HEALTH', 10, 2),
  ],
  listeners: [
    col('STATUS', 10, 0),
    col('PROTO', 5, 6),
    col('ADDRESS', 15, 1, { fit: true }),
    col('PORT', 5, 0, { align: 'right' }),
    col('PID', 7, 4, { align: 'right' }),
    col('PROCESS', 12, 0, { min: 7 }),
    col('USER', 8, 7),
    col('SERVICE', 12, 2, { min: 8 }),
    col('FLAGS', 7, 1),
    col('COMMAND', 20, 5, { min: 10, flex: true }),
  ],
  processes: [
    col('PID', 7, 0, { align: 'right' }),
    col('USER', 8, 4),
    col('CPU%', 5, 2, { align: 'right', keepEmpty: true }),
    col('MEM', 5, 3, { align: 'right' }),
    col('PORTS', 14, 0, { min: 6, flex: true }),
    col('NAME', 12, 1, { min: 7 }),
    col('COMMAND', 24, 5, { min: 10, flex: true }),
  ],
};

/** Sort choices of each view (the `s` key cycles through them); the first is the default. */
export const SORTS: Readonly<Record<ViewName, readonly SortSpec[]>> = {
  services: [
    { name: 'port', descending: false },
    { name: 'status', descending: false },
    { name: 'name', descending: false },
  ],
  listeners: [
    { name: 'port', descending: false },
    { name: 'status', descending: false },
    { name: 'process', descending: false },
  ],
  processes: [
    { name: 'cpu', descending: true },
    { name: 'mem', descending: true },
    { name: 'pid', descending: false },
    { name: 'name', descending: false },
  ],
};


/** The HOST column, first, shown when rows come from several hosts (`--host`). */
export const HOST_COLUMN: LiveColumn = col('HOST', 12, 0, { min: 6 });

/** Columns of `view`; with `hosts`, the Services and Listeners views lead with HOST. */
export function viewColumns(view: ViewName, hosts: boolean): readonly LiveColumn[] {
  return hosts && view !== 'processes' ? [HOST_COLUMN, ...COLUMNS[view]] : COLUMNS[view];
}

/**
 * The sort choice in effect: in the problems-only view the choices start at the status sort (most
 * severe first), so `s` still cycles through all of them.
 */
export function effectiveSort(view: ViewName, sort: number, problems: boolean): number {
  const shift = problems && view !== 'processes' ? 1 : 0;
  return (sort + shift) % SORTS[view].length;
}
