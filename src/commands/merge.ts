/**
 * `cnisim merge <shards…|DIR> --out DIR`: joins the partial files of `cnisim sweep --shard i/n` into sweep.csv.
 * An argument that is a folder stands for every sweep.shard-<i>-of-<n>.json inside it (not its subfolders).
 */
import { readdirSync, statSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { inputError } from '../errors.js';
import { writeFilesAtomically } from '../report/csv.js';
import { mergeShards } from '../sweep/sweep.js';

export interface MergeArgs {
  files: string[];
  out: string;
}

/** The name `cnisim sweep --shard` gives a shard file (src/sweep/sweep.ts shardFileName). */
const SHARD_FILE = /^sweep\.shard-\d+-of-\d+\.json$/;

/** Each argument as shard files: a file as given, a folder as the shard files it holds (sorted by name). */
export function shardPaths(args: readonly string[]): string[] {
  return args.flatMap((a) => {
    let dir = false;
    try {
      dir = statSync(a).isDirectory();
    } catch {
      return [a]; // missing: mergeShards names it
    }
    if (!dir) return [a];
    const found = readdirSync(a).filter((f) => SHARD_FILE.test(f)).sort().map((f) => join(a, f));
    if (found.length === 0) throw inputError(`merge: the folder ${a} holds no sweep.shard-<i>-of-<n>.json files; pass the folder cnisim sweep --shard wrote them to, or the files`);
    return found;
  });
}

/** Merges and writes; `--out` is a folder (sweep.csv goes inside) or a path ending in .csv. Returns the files written. */
export function mergeCommand(argv: MergeArgs): string[] {
  const csv = mergeShards(shardPaths(argv.files));
  const toFile = argv.out.endsWith('.csv');
  return writeFilesAtomically(toFile ? dirname(argv.out) : argv.out, new Map([[toFile ? basename(argv.out) : 'sweep.csv', csv]]));
}

export const mergeModule: CommandModule<object, MergeArgs> = {
  command: 'merge <files..>',
  describe: 'join the shard files of a sharded sweep into one sweep.csv (identical to a one-machine run)',
  builder: (y: Argv<object>) =>
    y
      .positional('files', { type: 'string', array: true, demandOption: true, describe: 'every sweep.shard-<i>-of-<n>.json of the sweep, or the folder that holds them' })
      .option('out', { type: 'string', demandOption: true, describe: 'output folder for sweep.csv (or a path ending in .csv)' })
      .example('$0 merge shards/sweep.shard-*-of-4.json --out results/aks-modes-sweep', 'join four slices')
      .example('$0 merge shards/ --out results/aks-modes-sweep', 'join every shard file in a folder') as unknown as Argv<MergeArgs>,
  handler: (argv) => {
    const files = mergeCommand(argv);
    process.stdout.write(`wrote ${files.join(', ')}\n`);
  },
};
