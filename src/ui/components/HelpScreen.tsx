import { Box, Text } from 'ink';
import { Table as BorderedTable } from '@alcalzone/ink-table';
import { helpRows } from '../keymap.js';
import { cellWidth, fitCells } from '../../presentation/cells.js';

/** Props of {@link HelpScreen}. */
export interface HelpScreenProps {
  readonly readOnly: boolean;
  readonly width: number;
  readonly height: number;
}

/** Every key of the key table (minus dangerous ones under --read-only); Esc or ? closes. */
export function HelpScreen({ readOnly, width, height }: HelpScreenProps) {
  const rows = helpRows(readOnly);
  const keyWidth = Math.min(16, Math.max(...rows.map((r) => r.keys.length)));
  const title = readOnly ? 'Keys (read-only: kill is off)' : 'Keys';
  // The help is a static table, where the bordered ink-table fits; it draws a rule between every row
  // (two lines a key), so it is used only when the terminal is tall and wide enough for all of it.
  const tableHeight = 2 * rows.length + 3;
  const tableWidth = keyWidth + Math.max(...rows.map((r) => cellWidth(r.action))) + 7;
  if (tableHeight + 1 <= height && tableWidth <= width) {
    return (
      <Box flexDirection="column" height={height}>
        <Text bold wrap="truncate">
          {title}
        </Text>
        <BorderedTable data={rows.map((r) => ({ key: r.keys, action: r.action }))} />
      </Box>
    );
  }
  // Two columns of help when the pane is too short for one.
  const perColumn = Math.max(1, height - 1);
  const columns = Math.ceil(rows.length / perColumn);
  const colWidth = Math.floor(width / columns);
  const chunks = Array.from({ length: columns }, (_, i) => rows.slice(i * perColumn, (i + 1) * perColumn));
  return (
    <Box flexDirection="column" height={height}>
      <Text bold wrap="truncate">
        {title}
      </Text>
      <Box flexDirection="row">
        {chunks.map((chunk, c) => (
          <Box key={c} flexDirection="column" width={colWidth} paddingRight={1}>
            {chunk.map((r, i) => (
              <Text key={i} wrap="truncate">
                {fitCells(r.keys, keyWidth)} {cellWidth(r.action) <= colWidth - keyWidth - 2 ? r.action : r.label}
              </Text>
            ))}
          </Box>
        ))}
      </Box>
    </Box>
  );
}
