/**
 * `cnisim plan`: the sizing question answered directly, from flags (`--mode all --nodes 50 --max-pods 30`) or
 * from a scenario file (`cnisim plan scenarios/aks-modes.yaml`). Prints a side-by-side table, or CSV with --csv.
 */
import type { Argv, CommandModule } from 'yargs';
import { inputError } from '../errors.js';
import { MODE_NAMES } from '../alloc/registry.js';
import { loadScenario } from '../scenario/index.js';
import { parseModes, planCsv, planModes, planTable } from '../plan/plan.js';
import { planScenario, scenarioPlanCsv, scenarioPlanTable } from '../plan/scenario.js';

export interface PlanArgs {
  scenario?: string;
  mode?: string;
  nodes?: number;
  'max-nodes'?: number;
  surge?: number;
  'max-pods'?: number;
  pods?: number;
  csv?: boolean;
}

/** The command's output for these arguments (what it prints). Throws CnisimError('input') on bad flags. */
export function planCommand(argv: PlanArgs): string {
  if (argv.scenario !== undefined) {
    const given = (['mode', 'nodes', 'max-nodes', 'surge', 'max-pods', 'pods'] as const).filter((k) => argv[k] !== undefined);
    if (given.length) throw inputError(`--${given[0]}: a scenario file states its own cluster; give either a scenario or --mode/--nodes…, not both`);
    const scenario = loadScenario(argv.scenario);
    const plans = planScenario(scenario);
    return argv.csv ? scenarioPlanCsv(plans) : `${scenarioPlanTable(scenario, plans)}\n`;
  }
  if (argv.nodes === undefined) throw inputError('--nodes: required (the node count), e.g. cnisim plan --mode all --nodes 50 --max-pods 30; or give a scenario file');
  const plans = planModes({
    modes: parseModes(argv.mode ?? 'all'),
    nodes: argv.nodes,
    maxNodes: argv['max-nodes'],
    surge: argv.surge ?? 0,
    maxPods: argv['max-pods'],
    pods: argv.pods,
  });
  return argv.csv ? planCsv(plans) : `${planTable(plans)}\n`;
}

export const planModule: CommandModule<object, PlanArgs> = {
  command: 'plan [scenario]',
  describe: 'the smallest subnet / pod CIDR prefixes for a cluster, per mode side by side',
  builder: (y: Argv<object>) =>
    y
      .positional('scenario', { type: 'string', describe: 'plan the ranges of a scenario file instead of flags' })
      .option('mode', { type: 'string', describe: `all (default), or a comma-separated list of ${MODE_NAMES.join(', ')}` })
      .option('nodes', { type: 'number', describe: 'nodes of the cluster (at start)' })
      .option('max-nodes', { type: 'number', describe: 'autoscaler maximum node count (the peak)' })
      .option('surge', { type: 'number', describe: 'extra nodes during an upgrade (maxSurge); default 0' })
      .option('max-pods', { type: 'number', describe: 'max pods per node (default: each mode\'s default)' })
      .option('pods', { type: 'number', describe: 'peak pods (default: every node full)' })
      .option('csv', { type: 'boolean', default: false, describe: 'print CSV rows (mode, space) for a spreadsheet' })
      .example('$0 plan --mode all --nodes 50 --surge 1 --max-pods 30', 'every mode side by side')
      .example('$0 plan --mode kubenet --nodes 300 --max-nodes 500', 'kubenet says why it cannot')
      .example('$0 plan scenarios/aks-modes.yaml', 'check the ranges of a scenario') as unknown as Argv<PlanArgs>,
  handler: (argv) => {
    process.stdout.write(planCommand(argv));
  },
};
