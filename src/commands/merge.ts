/** `cnisim merge <shards…> --out DIR`: joins the partial files of `cnisim sweep --shard i/n` into sweep.csv. */
import { dirname, basename } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { writeFilesAtomically } from '../report/csv.js';
import { mergeShards } from '../sweep/sweep.js';

export interface MergeArgs {
  files: string[];
  out: string;
}

/** Merges and writes; `--out` is a folder (sweep.csv goes inside) or a path ending in .csv. Returns the files written. */
export function mergeCommand(argv: MergeArgs): string[] {
  const csv = mergeShards(argv.files);
  const toFile = argv.out.endsWith('.csv');
  return writeFilesAtomically(toFile ? dirname(argv.out) : argv.out, new Map([[toFile ? basename(argv.out) : 'sweep.csv', csv]]));
}

export const mergeModule: CommandModule<object, MergeArgs> = {
  command: 'merge <files..>',
  describe: 'join the shard files of a sharded sweep into one sweep.csv (identical to a one-machine run)',
  builder: (y: Argv<object>) =>
    y
      .positional('files', { type: 'string', array: true, demandOption: true, describe: 'every sweep.shard-<i>-of-<n>.json of the sweep' })
      .option('out', { type: 'string', demandOption: true, describe: 'output folder for sweep.csv (or a path ending in .csv)' })
      .example('$0 merge shards/sweep.shard-*-of-4.json --out results/aks-modes-sweep', 'join four slices') as unknown as Argv<MergeArgs>,
  handler: (argv) => {
    const files = mergeCommand(argv);
    process.stdout.write(`wrote ${files.join(', ')}\n`);
  },
};
