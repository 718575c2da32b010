import type { Catalogue } from './types.js';

// PLACEHOLDER: replaced by the real loader.
export async function loadCatalogue(file: string): Promise<Catalogue> {
  throw new Error(`loadCatalogue(${file}) is not built yet`);
}
