import { Text } from 'ink';
import type { ServiceView } from '../../core/types.js';

/** Props of the log pane. The pane owns its keys while mounted (Esc closes). */
export interface LogPaneProps {
  /** Selected service (its docker name picks the compose service), or null for a bare listener. */
  readonly service: ServiceView | null;
  /** Owner pid of the selected row, used to find a systemd unit when there is no container. */
  readonly pid: number | null;
  /** Path of the loaded registry (a compose file beside it is a candidate). */
  readonly registryFile: string;
  /** `--compose-file`, if given. */
  readonly composeFile: string | null;
  readonly cwd: string;
  readonly width: number;
  readonly height: number;
  onClose(): void;
}

// PLACEHOLDER: replaced by the real pane.
export function LogPane(props: LogPaneProps) {
  return <Text>logs for {props.service?.id ?? String(props.pid)}: not built yet</Text>;
}
