/**
 * Runs `load` with the global `fetch` hidden. Ink's layout engine (yoga) carries its WebAssembly as a
 * base64 data: URL and, where `fetch` exists, reads it with `fetch` — which makes Node load its whole
 * HTTP client (undici, with a WebAssembly parser of its own) just to decode a string: about a tenth of
 * the TUI's time to first frame here. Without `fetch` it decodes the string itself. The global comes
 * back as it was as soon as the module has loaded (yoga reads it only then).
 */
export async function withoutFetch<T>(load: () => Promise<T>): Promise<T> {
  const own = Object.getOwnPropertyDescriptor(globalThis, 'fetch');
  if (own === undefined || own.configurable !== true) return load();
  delete (globalThis as { fetch?: unknown }).fetch;
  try {
    return await load();
  } finally {
    Object.defineProperty(globalThis, 'fetch', own);
  }
}
