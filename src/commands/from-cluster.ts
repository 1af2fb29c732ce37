/**
 * `cnisim from-cluster FILE… [--subnet name=cidr]… [--out scenario.yaml]`: reads cloud and kubectl exports (JSON,
 * recognised by shape) and writes a scenario that starts where the cluster is — to stdout, or to --out. What the
 * exports hold that cnisim does not simulate, and the ranges to fill in, go to stderr.
 */
import { subnetFlags } from './subnets.js';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { inputError } from '../errors.js';
import { fromCluster, type FromClusterResult } from '../fromcluster/index.js';

export interface FromClusterArgs {
  files?: string[];
  /** `<subnet name or id>=<cidr>`, repeatable. */
  subnet?: string[] | string;
  out?: string;
}

/** The scenario for the arguments (files read here; nothing written). */
export function fromClusterCommand(argv: FromClusterArgs): FromClusterResult {
  const subnets = subnetFlags(argv.subnet);
  const files = (argv.files ?? []).map(String);
  if (files.length === 0) throw inputError('from-cluster: give the export files, e.g. cnisim from-cluster aks.json nodepools.json subnets.json nodes.json pods.json (see docs/from-cluster.md)');
  const texts = files.map((file) => {
    try {
      return { file, text: readFileSync(file, 'utf8') };
    } catch (err) {
      throw inputError(`${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { cause: err });
    }
  });
  return fromCluster(texts, { subnets });
}

export const fromClusterModule: CommandModule<object, FromClusterArgs> = {
  command: 'from-cluster [files..]',
  describe: 'print a scenario that starts where a running cluster is, from its cloud and kubectl JSON exports',
  builder: (y: Argv<object>) =>
    y
      .positional('files', { type: 'string', array: true, describe: 'exports: az aks show / nodepool list / vnet subnet list; aws eks describe-cluster / describe-nodegroup / ec2 describe-subnets; gcloud container clusters describe / compute networks subnets describe; kubectl get nodes / pods -A (all -o json)' })
      .option('subnet', { type: 'string', array: true, describe: '<subnet name or id>=<cidr>: the range of a subnet no export given holds (repeatable)' })
      .option('out', { type: 'string', describe: 'write the scenario to this file instead of stdout' })
      .example('$0 from-cluster aks.json nodepools.json subnets.json nodes.json pods.json --out scenarios/mine.yaml', 'an AKS cluster with its pods')
      .example('$0 from-cluster eks.json ng-*.json subnets.json --subnet subnet-0abc=10.0.32.0/19', 'an EKS cluster, one subnet range given by hand')
      .epilogue('The export commands for each cloud, what is read from each and what is assumed: docs/from-cluster.md') as unknown as Argv<FromClusterArgs>,
  handler: (argv) => {
    const r = fromClusterCommand(argv);
    for (const line of r.summary) process.stderr.write(`${line}\n`);
    if (argv.out !== undefined) {
      const tmp = `${argv.out}.tmp-${process.pid}`;
      try {
        writeFileSync(tmp, r.yaml);
        renameSync(tmp, argv.out);
      } catch (err) {
        throw inputError(`--out ${argv.out}: cannot be written (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { cause: err });
      }
      process.stderr.write(`from-cluster: wrote ${argv.out}\n`);
    } else process.stdout.write(r.yaml);
  },
};
