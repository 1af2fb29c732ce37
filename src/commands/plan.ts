/**
 * `cnisim plan`: the sizing question answered directly, from flags (`--mode all --nodes 50`, every mode at one
 * max-pods) or from a scenario file (`cnisim plan scenarios/aks-modes.yaml`: the timeline's peak beside every
 * node full, and each pool's headroom; `--nodes`, `--pods`, `--max-pods`, `--surge` override one pool's figures).
 * Prints tables, or CSV with --csv (--headroom: the headroom rows).
 */
import type { Argv, CommandModule } from 'yargs';
import { inputError } from '../errors.js';
import { MODE_NAMES } from '../alloc/registry.js';
import { loadScenario } from '../scenario/index.js';
import { COMMON_MAX_PODS, planCsv, planModes, planTable } from '../plan/plan.js';
import { headroomCsv, planScenario, scenarioPlanCsv, scenarioPlanTable } from '../plan/scenario.js';
import { exampleText, modesFlag, surgeFlag, wholeFlag } from './flags.js';

export interface PlanArgs {
  scenario?: string;
  mode?: string;
  modes?: string;
  pool?: string;
  nodes?: string | number;
  'max-nodes'?: string | number;
  surge?: string | number;
  'max-pods'?: string | number;
  pods?: string | number;
  csv?: boolean;
  headroom?: boolean;
}

const COUNT_MAX = 10_000_000;

/** The command's output for these arguments (what it prints). Throws CnisimError('input') on bad flags. */
export function planCommand(argv: PlanArgs): string {
  const nodes = wholeFlag('nodes', argv.nodes, { min: 1, max: COUNT_MAX });
  const maxNodes = wholeFlag('max-nodes', argv['max-nodes'], { min: 1, max: COUNT_MAX });
  const maxPods = wholeFlag('max-pods', argv['max-pods'], { min: 1, max: COUNT_MAX });
  const pods = wholeFlag('pods', argv.pods, { min: 0, max: COUNT_MAX });
  const surge = surgeFlag('surge', argv.surge);
  if (argv.scenario !== undefined) {
    if (argv.mode !== undefined || argv.modes !== undefined) {
      throw inputError('--mode: a scenario file names its own modes (its `modes:` key); give either a scenario or --mode');
    }
    if (maxNodes !== undefined) throw inputError('--max-nodes: with a scenario, give the pool\'s peak with --nodes (its autoscaler maximum is in the file)');
    const scenario = loadScenario(argv.scenario);
    const plans = planScenario(scenario, { pool: argv.pool, nodes, pods, maxPods, surge });
    if (argv.csv) return argv.headroom ? headroomCsv(plans) : scenarioPlanCsv(plans);
    return `${scenarioPlanTable(scenario, plans)}\n`;
  }
  if (argv.pool !== undefined) throw inputError('--pool: names a node pool of a scenario file; give the scenario too');
  if (argv.headroom) throw inputError('--headroom: the headroom of a scenario\'s ranges; give a scenario file');
  if (nodes === undefined) throw inputError('--nodes: required (the node count), e.g. cnisim plan --mode all --nodes 50; or give a scenario file');
  const modes = modesFlag(argv, { all: true }) ?? [...MODE_NAMES];
  const plans = planModes({
    modes,
    nodes,
    maxNodes,
    surge: surge ?? 0,
    // Several modes compare one cluster: the same max-pods for all; one mode alone: its own default.
    maxPods: maxPods ?? (modes.length > 1 ? COMMON_MAX_PODS : undefined),
    pods,
  });
  return argv.csv ? planCsv(plans) : `${planTable(plans)}\n`;
}

const EXAMPLES = exampleText([
  ['cnisim plan --mode all --nodes 50 --surge 1 --max-pods 30', 'every mode side by side, 30 pods per node'],
  ['cnisim plan --mode kubenet --nodes 300 --max-nodes 500', 'kubenet says why it cannot'],
  ['cnisim plan scenarios/aks-modes.yaml', 'a scenario: its peak, every node full, headroom'],
  ['cnisim plan scenarios/aks-modes.yaml --pool user --pods 4000', 'the same with another peak'],
]);

export const planModule: CommandModule<object, PlanArgs> = {
  command: 'plan [scenario]',
  describe: 'the smallest subnet / pod CIDR prefixes for a cluster, per mode side by side; a scenario\'s headroom',
  builder: (y: Argv<object>) =>
    y
      .positional('scenario', { type: 'string', describe: 'plan a scenario file: its peak, every node full, and headroom' })
      .option('mode', { type: 'string', alias: 'modes', describe: `all (default), or a comma-separated list of ${MODE_NAMES.join(', ')}` })
      .option('pool', { type: 'string', describe: 'with a scenario: the node pool --nodes/--pods/--max-pods/--surge describe (default: the only pool)' })
      .option('nodes', { type: 'string', describe: 'nodes of the cluster (at start); with a scenario, the pool\'s peak' })
      .option('max-nodes', { type: 'string', describe: 'autoscaler maximum node count (the peak)' })
      .option('surge', { type: 'string', describe: 'upgrade surge: a node count (1) or a percentage of the nodes (33%); default 0' })
      .option('max-pods', { type: 'string', describe: `max pods per node (default: ${COMMON_MAX_PODS} for every mode compared; one mode alone: its default)` })
      .option('pods', { type: 'string', describe: 'peak pods (default: every node full; with a scenario: its timeline\'s peak)' })
      .option('csv', { type: 'boolean', default: false, describe: 'print CSV rows for a spreadsheet' })
      .option('headroom', { type: 'boolean', default: false, describe: 'with a scenario and --csv: the headroom rows' })
      .epilogue(EXAMPLES) as unknown as Argv<PlanArgs>,
  handler: (argv) => {
    process.stdout.write(planCommand(argv));
  },
};
