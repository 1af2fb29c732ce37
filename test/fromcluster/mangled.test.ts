/**
 * Mangled exports: the fixtures with one value anywhere replaced by arbitrary JSON (or removed). from-cluster
 * either writes a scenario (YAML that parses to exactly that scenario, whatever strings the exports hold) or refuses with an input error naming a file — never a TypeError or another crash.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { CnisimError } from '../../src/errors.js';
import { fromCluster } from '../../src/fromcluster/index.js';

const FIX = join(import.meta.dirname, '..', 'fixtures', 'cluster');
const SETS: Record<string, string[]> = {
  'aks-dynamic': ['aks-show.json', 'nodepools.json', 'subnets.json', 'nodes.json', 'pods.json'],
  'aks-upgrade': ['aks-show.json', 'subnet-show.json', 'nodes.json', 'pods.json'],
  eks: ['describe-cluster.json', 'nodegroup-general.json', 'nodegroup-batch.json', 'describe-subnets.json', 'nodes.json', 'pods.json'],
  gke: ['cluster.json', 'subnet.json', 'nodes.json', 'pods.json'],
};
const RUNS = Number(process.env['CNISIM_LONG'] ? 1000 : 150);

/** Every path to a value in `v` (objects and arrays), at most `limit` of them, breadth first. */
function paths(v: unknown, limit = 4000): (string | number)[][] {
  const out: (string | number)[][] = [];
  const queue: { v: unknown; p: (string | number)[] }[] = [{ v, p: [] }];
  while (queue.length > 0 && out.length < limit) {
    const { v: x, p } = queue.shift()!;
    if (p.length > 0) out.push(p);
    if (Array.isArray(x)) x.slice(0, 5).forEach((y, i) => queue.push({ v: y, p: [...p, i] }));
    else if (typeof x === 'object' && x !== null) for (const [k, y] of Object.entries(x)) queue.push({ v: y, p: [...p, k] });
  }
  return out;
}

function mangle(v: unknown, path: (string | number)[], value: unknown, remove: boolean): unknown {
  const copy = structuredClone(v) as Record<string | number, unknown>;
  let at = copy;
  for (const k of path.slice(0, -1)) at = at[k] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (remove) {
    if (Array.isArray(at)) at.splice(last as number, 1);
    else delete at[last];
  } else at[last] = value;
  return copy;
}

describe('mangled exports never crash from-cluster', () => {
  for (const [dir, files] of Object.entries(SETS)) {
    it(dir, () => {
      const parsed = files.map((f) => JSON.parse(readFileSync(join(FIX, dir, f), 'utf8')) as unknown);
      const allPaths = parsed.map((p) => paths(p));
      fc.assert(
        fc.property(fc.nat(files.length - 1), fc.nat(), fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom('a\nb: 1', '50%\n  - at: 0', '#\n', 'x\u2028y', ' \t', '3\r\nz')), fc.boolean(), (fi, pi, value, remove) => {
          const ps = allPaths[fi]!;
          const path = ps[pi % ps.length]!;
          const texts = files.map((f, i) => ({ file: f, text: JSON.stringify(i === fi ? mangle(parsed[i], path, value, remove) : parsed[i]) }));
          try {
            const r = fromCluster(texts);
            // Whatever the exports hold, the file is YAML holding exactly the scenario (comments stay comments).
            expect(YAML.parse(r.yaml)).toEqual(r.scenario);
          } catch (err) {
            if (!(err instanceof CnisimError) || err.code !== 'input') throw new Error(`${dir}/${files[fi]} at ${path.join('.')} = ${JSON.stringify(value)}${remove ? ' (removed)' : ''}: ${String(err)}`, { cause: err });
            expect(err.message).toMatch(/\.json[: ]|^from-cluster:|^--subnet/);
          }
        }),
        { numRuns: RUNS, seed: 19 },
      );
    });
  }
});

describe('export text in comments', () => {
  it('line breaks in exported strings stay inside one comment line', () => {
    const show = JSON.parse(readFileSync(join(FIX, 'aks-dynamic', 'aks-show.json'), 'utf8')) as { agentPoolProfiles: Record<string, unknown>[] };
    show.agentPoolProfiles[0]!.upgradeSettings = { maxSurge: 'a\nb: 1' };
    Object.assign(show.agentPoolProfiles[1]!, { osSku: 'x\n  - at: 0', osType: 'Windows', vmSize: 'Std\u2028foo: bar' });
    const r = fromCluster([{ file: 'a.json', text: JSON.stringify(show) }, { file: 's.json', text: readFileSync(join(FIX, 'aks-dynamic', 'subnets.json'), 'utf8') }]);
    expect(YAML.parse(r.yaml)).toEqual(r.scenario);
    expect(r.yaml).toContain('  # no upgrade of system: upgradeSettings.maxSurge a b: 1: no surge node');
    expect(r.yaml).toContain('VM size Std foo: bar; OS windows');
    expect(r.summary.every((l) => !l.includes('\n'))).toBe(true);
  });
});
