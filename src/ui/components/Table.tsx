import { Box, Text } from 'ink';
import { memo } from 'react';
import type { Row } from '../view-model.js';
import { fitCells } from '../../presentation/cells.js';
import { INK_TONE } from '../../presentation/tones.js';
import type { PlacedColumn } from '../layout.js';

/** Props of {@link Table}. `rows` is ALREADY the visible slice: the table never sees the rest. */
export interface TableProps {
  readonly columns: readonly PlacedColumn[];
  readonly rows: readonly Row[];
  /** Index into `rows` of the selected row, or -1. */
  readonly selected: number;
  readonly color: boolean;
  /** Lines available for rows (the header line is extra). */
  readonly height: number;
  /** Text shown when there are no rows at all. */
  readonly empty: string;
}

/** Dense one-line-per-row table; cells are cut/padded by terminal cell width so CJK names align. */
export function Table({ columns, rows, selected, color, height, empty }: TableProps) {
  const header = columns.map((c) => fitCells(c.column.header, c.width, c.column.align)).join(' ');
  return (
    <Box flexDirection="column" height={height + 1}>
      <Text bold wrap="truncate">
        {'  '}
        {header}
      </Text>
      {rows.length === 0 ? (
        <Text dimColor={color} wrap="truncate">
          {'  '}
          {empty}
        </Text>
      ) : (
        rows.map((row, i) => <TableRow key={row.id} row={row} columns={columns} selected={i === selected} color={color} />)
      )}
    </Box>
  );
}

interface TableRowProps {
  readonly row: Row;
  readonly columns: readonly PlacedColumn[];
  readonly selected: boolean;
  readonly color: boolean;
}

/**
 * One row. Memoised on the drawn content, not the Row object: each refresh builds new Row objects,
 * and a row whose cells read the same need no new React elements.
 */
const TableRow = memo(function TableRow({ row, columns, selected, color }: TableRowProps) {
  return (
    <Text inverse={selected} wrap="truncate">
      {selected ? '> ' : '  '}
      {columns.map((c, i) => {
        const cell = row.cells[c.index];
        const text = fitCells(cell?.text ?? '', c.width, c.column.align);
        const tone = color && cell ? INK_TONE[cell.tone ?? 'plain'] : undefined;
        const sep = i < columns.length - 1 ? ' ' : '';
        if (!tone) return text + sep;
        return (
          <Text key={c.index} color={tone} dimColor={cell?.tone === 'muted'}>
            {text}
            {sep}
          </Text>
        );
      })}
    </Text>
  );
}, sameRow);

function sameRow(a: TableRowProps, b: TableRowProps): boolean {
  if (a.columns !== b.columns || a.selected !== b.selected || a.color !== b.color) return false;
  if (a.row === b.row) return true;
  const x = a.row.cells;
  const y = b.row.cells;
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i]?.text !== y[i]?.text || x[i]?.tone !== y[i]?.tone) return false;
  return true;
}
