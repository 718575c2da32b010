import { describe, expect, it } from 'vitest';
import { closeMatches, findService } from '../../src/core/service-lookup.js';
import { editDistance } from '../../src/core/edit-distance.js';
import { resolveServices } from '../../src/core/resolve.js';
import { UsageError } from '../../src/core/errors.js';
import { entry } from '../fixtures/why/facts.js';

const defs = [
  entry({ id: 'gateway', port: 8080 }),
  entry({ id: 'backend', port: 8000, docker: 'api-backend' }),
  entry({ id: 'grafana', port: 3000, profiles: ['prod'] }),
  entry({ id: 'mongo-express', port: 8081 }),
];
const catalogue = { file: 'registry.yaml', services: defs };
const env = { processEnv: {}, fileEnv: {}, fileName: null };

describe('closeMatches', () => {
  it.each([
    ['gatewy', ['gateway']],
    ['gate', ['gateway']],
    ['mongo', ['mongo-express']],
    ['backnd', ['backend']],
    ['zzz', []],
  ])('%s -> %j', (word, want) => {
    expect(closeMatches(word, defs.map((d) => d.id))).toEqual(want);
  });
  it('edit distance counts insertions, deletions and substitutions', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'ab')).toBe(2);
  });
});

describe('findService', () => {
  const all = resolveServices(catalogue, env, null);
  it('finds by id, and by a docker name only one entry uses', () => {
    expect(findService('gateway', all, catalogue, null).id).toBe('gateway');
    expect(findService('api-backend', all, catalogue, null).id).toBe('backend');
  });
  it('an unknown id is a usage error listing close matches, with control characters cleaned', () => {
    expect(() => findService('gatewy', all, catalogue, null)).toThrow(UsageError);
    expect(() => findService('gatewy', all, catalogue, null)).toThrow('unknown service "gatewy" in registry.yaml; did you mean gateway? (vhtop list shows every service)');
    let message = '';
    try {
      findService('x\x1b[2J', all, catalogue, null);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^unknown service "x" in registry\.yaml/);
    expect(message).not.toContain('\x1b');
    expect(message).toContain('; the name given holds control characters (removed above)');
  });
  it('a name that only matches once its control characters are removed says why it did not match', () => {
    expect(() => findService('back\x1b[31mend', all, catalogue, null)).toThrow(
      'unknown service "backend" in registry.yaml; did you mean backend? (vhtop list shows every service); the name given holds control characters (removed above)',
    );
    expect(() => findService('gateway', all, catalogue, null)).not.toThrow();
  });
  it('an id outside the active profile says so', () => {
    const dev = resolveServices(catalogue, env, 'dev');
    expect(() => findService('grafana', dev, catalogue, 'dev')).toThrow('service "grafana" is not in profile "dev"');
  });
});
