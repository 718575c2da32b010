/** Small statistics helpers for the bench: medians and ratios, nothing that depends on timing. */

/** Median of `values` (mean of the two middle values for an even count); NaN for an empty list. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] as number;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] as number) + upper) / 2;
}

/** `a / b`, or NaN when either side is missing or b is not positive (a ratio to zero means nothing). */
export function ratio(a: number, b: number): number {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b <= 0) return Number.NaN;
  return a / b;
}

/**
 * A measured value or the reason it could not be measured. The bench keeps going when one part
 * fails (e.g. the TUI is not built yet) and the table shows the reason instead of a number.
 */
export type Measured<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

/** Wraps a value. */
export function measured<T>(value: T): Measured<T> {
  return { ok: true, value };
}

/** Wraps a failure reason (first line only, so a table cell stays one line). */
export function failed<T>(reason: string): Measured<T> {
  const line = reason.split('\n').find((l) => l.trim() !== '') ?? 'failed';
  return { ok: false, reason: line.trim() };
}

/** Runs `fn` and turns any thrown error into a {@link failed} value. */
export async function attempt<T>(fn: () => Promise<T>): Promise<Measured<T>> {
  try {
    return measured(await fn());
  } catch (e) {
    return failed(e instanceof Error ? e.message : String(e));
  }
}
