/**
 * `cnisim merge DIR`: a folder of shards merges to the same sweep.csv as the shard files named one by one and as a
 * one-machine sweep; a folder without shard files is refused naming the folder.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sweepCommand } from '../../src/commands/sweep.js';
import { cli, entries } from '../cli/helpers.js';

const SCENARIO = 'test/sweep/fixtures/small.yaml';

describe('merge DIR', () => {
  let tmp: string;
  let shardFiles: string[];
  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'cnisim-merge-'));
    shardFiles = [];
    for (let i = 0; i < 2; i++) shardFiles.push(...(await sweepCommand({ scenario: SCENARIO, seeds: 2, shard: `${i}/2`, workers: 1, out: join(tmp, 'shards') })).files);
    // Something else in the folder is not a shard and is left out.
    writeFileSync(join(tmp, 'shards', 'notes.txt'), 'not a shard\n');
    await sweepCommand({ scenario: SCENARIO, seeds: 2, workers: 1, out: join(tmp, 'serial') });
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('a folder of shards gives the same sweep.csv as the files and as a one-machine sweep', async () => {
    const byDir = await cli('merge', join(tmp, 'shards'), '--out', join(tmp, 'by-dir'));
    expect(byDir.stderr).toBe('');
    expect(byDir.code).toBe(0);
    const byFiles = await cli('merge', ...shardFiles, '--out', join(tmp, 'by-files'));
    expect(byFiles.code).toBe(0);
    const serial = readFileSync(join(tmp, 'serial', 'sweep.csv'), 'utf8');
    expect(readFileSync(join(tmp, 'by-dir', 'sweep.csv'), 'utf8')).toBe(serial);
    expect(readFileSync(join(tmp, 'by-files', 'sweep.csv'), 'utf8')).toBe(serial);
  });

  it('a folder without shard files: exit 2 naming the folder, nothing written', async () => {
    const empty = join(tmp, 'empty');
    mkdirSync(empty);
    const r = await cli('merge', empty, '--out', join(tmp, 'none'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`merge: the folder ${empty} holds no sweep.shard-<i>-of-<n>.json files`));
    expect(entries(join(tmp, 'none'))).toEqual([]);
  });
});
