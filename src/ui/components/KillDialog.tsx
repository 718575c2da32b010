import { Text } from 'ink';
import type { Snapshot } from '../../core/types.js';

/** Props of the kill confirmation dialog. The dialog owns its keys while mounted. */
export interface KillDialogProps {
  /** Process selected in the table. */
  readonly pid: number;
  /** Port of the selected row, when the row is a port. */
  readonly port: number | null;
  /** Snapshot the selection came from (to find the process, its service and other holders). */
  readonly snapshot: Snapshot;
  readonly width: number;
  /** Called when the dialog closes; `message` is the outcome in words, null when cancelled. */
  onClose(message: string | null): void;
}

// PLACEHOLDER: replaced by the real dialog.
export function KillDialog(props: KillDialogProps) {
  return <Text>kill {props.pid}: not built yet</Text>;
}
