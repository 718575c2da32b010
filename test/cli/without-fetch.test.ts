import { describe, expect, it } from 'vitest';
import { withoutFetch } from '../../src/cli/without-fetch.js';

describe('withoutFetch', () => {
  it('hides the global fetch while the load runs and puts the same one back', async () => {
    const before = globalThis.fetch;
    expect(typeof before).toBe('function');
    const seen = await withoutFetch(async () => {
      await Promise.resolve();
      return typeof (globalThis as { fetch?: unknown }).fetch;
    });
    expect(seen).toBe('undefined');
    expect(globalThis.fetch).toBe(before);
    expect(Object.getOwnPropertyDescriptor(globalThis, 'fetch')).toMatchObject({ writable: true, enumerable: true, configurable: true });
  });

  it('puts it back when the load fails', async () => {
    const before = globalThis.fetch;
    await expect(
      withoutFetch(async () => {
        throw new Error('no such module');
      }),
    ).rejects.toThrow('no such module');
    expect(globalThis.fetch).toBe(before);
  });
});
