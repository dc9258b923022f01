// The layers of src/ point one way. This reads every import in src/ (type-only ones too) and fails
// on an edge the map below does not allow; the README's architecture section draws the same map.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';

const SRC = fileURLToPath(new URL('../src', import.meta.url));

/** What each layer may import besides itself (a layer is a folder of src/, or a file at its top). */
const ALLOWED: Record<string, readonly string[]> = {
  kernel: [],
  logger: [],
  db: ['kernel', 'logger'],
  feeds: ['kernel', 'db', 'logger'],
  schema: ['kernel', 'db', 'logger', 'feeds'],
  orgaos: ['kernel', 'db', 'logger', 'feeds', 'schema'],
  sistemas: ['kernel', 'db', 'logger', 'feeds', 'schema', 'orgaos'],
  tramites: ['kernel', 'db', 'logger', 'feeds', 'schema', 'orgaos', 'sistemas'],
  onboarding: ['kernel', 'db', 'logger', 'feeds', 'schema', 'orgaos', 'sistemas', 'tramites'],
  'trusted-documents': [],
  config: ['kernel', 'tramites', 'trusted-documents'],
  identity: ['kernel', 'db', 'logger', 'config', 'orgaos', 'sistemas'],
  http: [
    'kernel',
    'db',
    'logger',
    'feeds',
    'schema',
    'orgaos',
    'sistemas',
    'tramites',
    'onboarding',
    'config',
    'identity',
    'trusted-documents',
  ],
  demo: ['kernel', 'db', 'logger', 'orgaos', 'sistemas', 'tramites', 'onboarding'],
};
/** The one module that knows every table: drizzle's relations are declared over all of them. */
const COMPOSITION_POINTS: Record<string, RegExp> = { 'db/relations.ts': /^(orgaos|sistemas|tramites|onboarding)\/tables\.ts$/ };

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sources(path) : entry.name.endsWith('.ts') ? [relative(SRC, path)] : [];
  });
}

function layerOf(file: string): string {
  const [first] = file.split('/');
  return first!.replace(/\.ts$/, '');
}

function importsOf(file: string): string[] {
  const text = readFileSync(join(SRC, file), 'utf8');
  const specifiers = [...text.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+'([^']+)'|^\s*import\s+'([^']+)'/gm)].map((m) => m[1] ?? m[2]!);
  return specifiers.filter((s) => s.startsWith('.')).map((s) => normalize(join(dirname(file), s)).replace(/\.js$/, '.ts'));
}

const files = sources(SRC);
const edges = files.flatMap((from) => importsOf(from).map((to) => ({ from, to })));

describe('architecture', () => {
  test('every file of src/ belongs to a layer of the map', () => {
    expect(files.map(layerOf).filter((layer) => !(layer in ALLOWED))).toEqual([]);
  });

  test('imports follow the layer map (and nothing leaves src/)', () => {
    const forbidden = edges
      .filter(({ from, to }) => {
        if (to.startsWith('..')) return true;
        const [a, b] = [layerOf(from), layerOf(to)];
        if (a === b || ALLOWED[a]?.includes(b)) return false;
        return !COMPOSITION_POINTS[from]?.test(to);
      })
      .map(({ from, to }) => `${from} -> ${to}`);
    expect(forbidden).toEqual([]);
  });

  test('the kernel imports nothing of the project', () => {
    expect(edges.filter(({ from }) => layerOf(from) === 'kernel')).toEqual([]);
  });

  test('the reader sees the imports (a check that cannot pass by reading nothing)', () => {
    expect(edges).toContainEqual({ from: 'http/gateway.ts', to: 'schema/context.ts' });
    expect(edges.length).toBeGreaterThan(100);
  });
});
