import { Text } from 'ink';
import { VIEWS, VIEW_TITLES, type ViewName } from '../view-model.js';

/** Props of {@link Tabs}. */
export interface TabsProps {
  readonly view: ViewName;
  readonly sortName: string;
  readonly filter: string;
  readonly shown: number;
  readonly total: number;
}

/** The view switcher line: the active view in brackets (visible without colour), sort, filter, row count. */
export function Tabs({ view, sortName, filter, shown, total }: TabsProps) {
  const tabs = VIEWS.map((v) => (v === view ? `[${VIEW_TITLES[v]}]` : ` ${VIEW_TITLES[v]} `)).join('');
  const count = filter ? `${shown}/${total}` : `${total}`;
  return (
    <Text wrap="truncate">
      <Text bold>{tabs}</Text>
      {`  ${count} rows  sort ${sortName}`}
      {filter ? `  filter ${filter}` : ''}
    </Text>
  );
}
