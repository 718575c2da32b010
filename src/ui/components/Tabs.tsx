import { Text } from 'ink';
import { VIEWS, VIEW_TITLES, type ViewName } from '../columns.js';
import { cellWidth } from '../../presentation/cells.js';

/** Props of {@link Tabs}. */
export interface TabsProps {
  readonly view: ViewName;
  readonly sortName: string;
  readonly filter: string;
  readonly shown: number;
  readonly total: number;
  readonly width: number;
}

/**
 * The view switcher line: the active view in brackets (visible without colour), row count, sort and
 * filter. When the line does not fit, the inactive view names go first: the applied filter explains
 * why rows are missing, so it must stay visible in a 60-column pane.
 */
export function Tabs({ view, sortName, filter, shown, total, width }: TabsProps) {
  const count = filter ? `${shown}/${total}` : `${total}`;
  const rest = `  ${count} rows  sort ${sortName}${filter ? `  filter ${filter}` : ''}`;
  const all = VIEWS.map((v) => (v === view ? `[${VIEW_TITLES[v]}]` : ` ${VIEW_TITLES[v]} `)).join('');
  const tabs = cellWidth(all + rest) <= width ? all : `[${VIEW_TITLES[view]}]`;
  return (
    <Text wrap="truncate">
      <Text bold>{tabs}</Text>
      {rest}
    </Text>
  );
}
