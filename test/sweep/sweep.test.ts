/**
 * Sweeps: the same sweep.csv, byte for byte, from a serial run, a parallel run on a tinypool pool, and three
 * shards merged; the aggregate figures equal those of direct simulations; bad --vary, --shard and merge input
 * refused with messages naming the flag or the combination.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSrc, removeBuild } from './build.js';
import { validateScenario } from '../../src/scenario/index.js';
import { readScenarioFile } from '../../src/scenario/read.js';
import { simulate } from '../../src/sim/run.js';
import { cell } from '../../src/report/csv.js';
import { parseShard, planSweep, mergeShards } from '../../src/sweep/sweep.js';
import { parseVary } from '../../src/sweep/vary.js';
import { sweepCommand } from '../../src/commands/sweep.js';

const SCENARIO = 'test/sweep/fixtures/small.yaml';
const VARY = ['nodePools[0].maxPods=30,31', 'parameters.dynamic.grantLatency=1s,5s'];

type SweepMod = typeof import('../../src/commands/sweep.js');
type MergeMod = typeof import('../../src/commands/merge.js');

describe('sweep: serial, parallel and sharded-then-merged give the same sweep.csv', () => {
  let build: string;
  let tmp: string;
  let sweep: SweepMod;
  let merge: MergeMod;

  beforeAll(async () => {
    build = buildSrc('sweep');
    tmp = mkdtempSync(join(tmpdir(), 'cnisim-sweep-'));
    sweep = (await import(pathToFileURL(join(build, 'commands', 'sweep.js')).href)) as SweepMod;
    merge = (await import(pathToFileURL(join(build, 'commands', 'merge.js')).href)) as MergeMod;
  });
  afterAll(() => {
    if (build) removeBuild(build);
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('byte-identical, and the figures are those of direct runs', async () => {
    const args = { scenario: SCENARIO, vary: VARY, seeds: 3 };
    const serial = await sweep.sweepCommand({ ...args, workers: 1, out: join(tmp, 'serial') });
    const parallel = await sweep.sweepCommand({ ...args, workers: 2, out: join(tmp, 'parallel') });
    expect(serial.totalRuns).toBe(4 * 2 * 3);
    const shardFiles: string[] = [];
    for (let i = 0; i < 3; i++) {
      // The middle shard takes its index from JOB_COMPLETION_INDEX, as in a Kubernetes Indexed Job.
      const shardArgs = i === 1 ? { shard: '3' } : { shard: `${i}/3` };
      const env = i === 1 ? { JOB_COMPLETION_INDEX: '1' } : {};
      const r = await sweep.sweepCommand({ ...args, ...shardArgs, workers: 1, out: join(tmp, 'shards') }, { env });
      expect(r.runs).toBe(8);
      shardFiles.push(...r.files);
    }
    expect(readdirSync(join(tmp, 'shards')).sort()).toEqual(['sweep.shard-0-of-3.json', 'sweep.shard-1-of-3.json', 'sweep.shard-2-of-3.json']);
    merge.mergeCommand({ files: [...shardFiles].reverse(), out: join(tmp, 'merged') });

    const a = readFileSync(join(tmp, 'serial', 'sweep.csv'), 'utf8');
    const b = readFileSync(join(tmp, 'parallel', 'sweep.csv'), 'utf8');
    const c = readFileSync(join(tmp, 'merged', 'sweep.csv'), 'utf8');
    expect(parallel.files[0]).toMatch(/sweep\.csv$/);
    expect(b).toBe(a);
    expect(c).toBe(a);

    // A row per combination and mode, in combination order.
    const lines = a.trimEnd().split('\n');
    expect(lines.length).toBe(1 + 4 * 2);
    const head = lines[0]!.split(',');
    const rows = lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [head[i]!, v])));
    expect(rows.map((r) => `${r['combination']} ${r['nodePools[0].maxPods']} ${r['parameters.dynamic.grantLatency']} ${r.mode}`)).toEqual([
      '1 30 1s overlay', '1 30 1s dynamic', '2 30 5s overlay', '2 30 5s dynamic',
      '3 31 1s overlay', '3 31 1s dynamic', '4 31 5s overlay', '4 31 5s dynamic',
    ]);

    // Combination 4, dynamic: the mean, p5 and p95 across seeds 7, 8, 9 of direct simulations.
    const raw = readScenarioFile(SCENARIO) as Record<string, unknown>;
    const vals: number[] = [];
    for (const seed of [7, 8, 9]) {
      const s = validateScenario({ ...raw, seed, nodePools: [{ ...(raw.nodePools as object[])[0], maxPods: 31 }], parameters: { dynamic: { grantLatency: '5s' } } }, SCENARIO);
      const res = await simulate(s, { modes: ['dynamic'] });
      vals.push(res.summary[0]!.max_pod_ips_reserved!);
    }
    const row = rows[7]!;
    expect(row.max_pod_ips_reserved_mean).toBe(cell((vals[0]! + vals[1]! + vals[2]!) / 3));
    expect(row.max_pod_ips_reserved_p5).toBe(cell(Math.min(...vals)));
    expect(row.max_pod_ips_reserved_p95).toBe(cell(Math.max(...vals)));
    expect(row.seeds).toBe('3');
  });

  it('merge refuses a missing, repeated or foreign shard', async () => {
    const dir = join(tmp, 'bad');
    const files: string[] = [];
    for (let i = 0; i < 2; i++) files.push(...(await sweep.sweepCommand({ scenario: SCENARIO, seeds: 1, shard: `${i}/2`, workers: 1, out: dir })).files);
    expect(() => mergeShards([files[0]!])).toThrow(/shard 1 of 2 missing/);
    expect(() => mergeShards([files[0]!, files[0]!])).toThrow(/given twice/);
    const other = (await sweep.sweepCommand({ scenario: SCENARIO, seeds: 2, shard: '1/2', workers: 1, out: join(tmp, 'other') })).files[0]!;
    expect(() => mergeShards([files[0]!, other])).toThrow(/another sweep/);
    const junk = join(tmp, 'junk.json');
    writeFileSync(junk, '{"format":"something else"}');
    expect(() => mergeShards([junk])).toThrow(/not a cnisim sweep shard/);
  });
});

describe('sweep input', () => {
  it('parses --vary paths and YAML values', () => {
    const v = parseVary('nodePools[0].maxPods=30,31,32');
    expect(v.segments).toEqual(['nodePools', 0, 'maxPods']);
    expect(v.values).toEqual([30, 31, 32]);
    expect(parseVary('network.podSubnet=10.241.0.0/22,10.241.0.0/21').values).toEqual(['10.241.0.0/22', '10.241.0.0/21']);
    expect(parseVary('parameters.dynamic.primaryIp=true,false').values).toEqual([true, false]);
    expect(() => parseVary('nodePools[0].maxPods')).toThrow(/expected <path>=<v1,v2/);
    expect(() => parseVary('nodePools..maxPods=1')).toThrow(/cannot read the path/);
    expect(() => parseVary('a=1,,2')).toThrow(/empty value/);
    expect(() => parseVary('__proto__.x=1')).toThrow(/not a scenario key/);
  });

  it('validates every combination before running, naming the combination', () => {
    const raw = readScenarioFile(SCENARIO);
    const varies = [parseVary('nodePools[0].maxPods=30,251')];
    expect(() => planSweep({ file: SCENARIO, raw, varies, seeds: 1 })).toThrow(/sweep combination 2 of 2 \(nodePools\[0\]\.maxPods=251\):.*maxPods/);
    expect(() => planSweep({ file: SCENARIO, raw, varies: [parseVary('nodePools[3].maxPods=30')], seeds: 1 })).toThrow(/nodePools\[3\] does not exist/);
    expect(() => planSweep({ file: SCENARIO, raw, varies: [], seeds: 0 })).toThrow(/--seeds/);
    const plan = planSweep({ file: SCENARIO, raw, varies: [parseVary('nodePools[0].maxPods=30,31')], seeds: 2 });
    expect(plan.tasks.map((t) => t.mode)).toEqual(['overlay', 'overlay', 'dynamic', 'dynamic', 'overlay', 'overlay', 'dynamic', 'dynamic']);
    expect([...plan.seedOf]).toEqual([7, 8, 7, 8, 7, 8, 7, 8]);
  });

  it('reads --shard and JOB_COMPLETION_INDEX', () => {
    expect(parseShard('2/4', {})).toEqual({ index: 2, count: 4 });
    expect(parseShard('4', { JOB_COMPLETION_INDEX: '3' })).toEqual({ index: 3, count: 4 });
    expect(parseShard(undefined, { JOB_COMPLETION_INDEX: '3' })).toBeNull();
    expect(() => parseShard('4', {})).toThrow(/JOB_COMPLETION_INDEX/);
    expect(() => parseShard('4/4', {})).toThrow(/numbered 0 to 3/);
    expect(() => parseShard('1/4', { JOB_COMPLETION_INDEX: '2' })).toThrow(/JOB_COMPLETION_INDEX is 2/);
    expect(() => parseShard('x', {})).toThrow(/expected i\/n/);
  });

  it('the command refuses unknown modes and bad worker counts', async () => {
    await expect(sweepCommand({ scenario: SCENARIO, modes: 'overlay,flannel' })).rejects.toThrow(/--modes: unknown mode "flannel"/);
    await expect(sweepCommand({ scenario: SCENARIO, workers: 0, out: mkdtempSync(join(tmpdir(), 'cnisim-w-')) })).rejects.toThrow(/--workers/);
  });
});
