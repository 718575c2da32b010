import type { HealthResult } from '../core/types.js';

/** "812K", "37M", "1.2G": compact memory sizes for a narrow column. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '-';
  const units = ['B', 'K', 'M', 'G', 'T'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const text = value >= 10 || unit === 0 ? Math.round(value).toString() : value.toFixed(1);
  return `${text}${units[unit]}`;
}

/** "3s", "2m", "1h": time since an event, for the header and the events strip. */
export function formatAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m`;
  return `${Math.floor(s / 3600)}h`;
}

/** "ok 12ms" / "fail" : the health word always comes first, colour only adds to it. */
export function formatHealth(health: HealthResult | null): string {
  if (!health) return '-';
  const word = health.ok ? 'ok' : 'fail';
  return health.latencyMs === null ? word : `${word} ${Math.round(health.latencyMs)}ms`;
}

/** "12.5" CPU percent with one decimal, "-" before the second snapshot. */
export function formatCpu(percent: number | undefined): string {
  return percent === undefined ? '-' : percent.toFixed(1);
}

/** HH:MM:SS local time of an ISO timestamp or epoch ms. */
export function clockTime(at: number): string {
  const d = new Date(at);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}
