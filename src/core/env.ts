import type { EnvSources } from './types.js';

// PLACEHOLDER: replaced by the real .env reader.
export async function loadEnvSources(file: string | null, processEnv: Readonly<Record<string, string | undefined>>): Promise<EnvSources> {
  return { processEnv, fileEnv: {}, fileName: file };
}
