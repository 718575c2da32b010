import { describe, expect, it } from 'vitest';
import { measureScrapes } from '../../src/bench/scrape.js';
import { parseCatalogue } from '../../src/core/catalogue.js';
import { createProbe } from '../../src/probe/index.js';

/** The bench's scrape measure against the real exporter and the real /proc probe (no farm). */
describe('measureScrapes', () => {
  it('times each requested scrape of the real exporter', async () => {
    const catalogue = parseCatalogue('version: 1\nservices:\n  - { id: web, name: Web, port: 1, group: app }\n', 'registry.yaml');
    const costs = await measureScrapes(createProbe('linux'), catalogue, { processEnv: {}, fileEnv: {}, fileName: null }, 3);
    expect(costs.cpuMs).toHaveLength(3);
    expect(costs.wallMs).toHaveLength(3);
    for (const v of [...costs.cpuMs, ...costs.wallMs]) expect(v).toBeGreaterThan(0);
  });
});
