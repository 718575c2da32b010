import { Text } from 'ink';
import { footerHints, type Mode } from '../keymap.js';
import { cellWidth } from '../../presentation/cells.js';

/** Props of {@link Footer}. */
export interface FooterProps {
  readonly mode: Mode;
  readonly readOnly: boolean;
  readonly width: number;
  /** Filter text being typed (filter mode). */
  readonly draft: string;
}

/** Footer hint texts that fit in `width`, generated from the key table. */
export function footerText(mode: Mode, readOnly: boolean, width: number): string {
  let hints = footerHints(mode, readOnly);
  const text = () => hints.map((h) => `${h.keys} ${h.label}`).join('  ');
  // Drop the least important hint (highest rank, rightmost first) until the line fits.
  while (hints.length > 0 && cellWidth(text()) > width) {
    const worst = Math.max(...hints.map((h) => h.rank));
    const at = hints.map((h) => h.rank).lastIndexOf(worst);
    hints = hints.filter((_, i) => i !== at);
  }
  return text();
}

/** Key hints, or the filter prompt while typing. */
export function Footer({ mode, readOnly, width, draft }: FooterProps) {
  if (mode === 'filter') {
    const prompt = `/${draft}_`;
    const hints = footerText('filter', readOnly, Math.max(0, width - cellWidth(prompt) - 2));
    return (
      <Text wrap="truncate">
        <Text bold>{prompt}</Text>
        {hints ? `  ${hints}` : ''}
      </Text>
    );
  }
  return <Text wrap="truncate">{footerText(mode, readOnly, width)}</Text>;
}
