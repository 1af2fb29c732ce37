/**
 * `cnisim from-az -- az aks create …` (or `--script file.sh`, `-` for stdin): prints a scenario YAML for the
 * cluster the command creates, with `az aks nodepool add` lines as extra pools. Unknown flags go to stderr and
 * into a comment of the YAML.
 */
import { subnetFlags } from './subnets.js';
import { readFileSync } from 'node:fs';
import type { Argv, CommandModule } from 'yargs';
import { inputError } from '../errors.js';
import { fromAz, type FromAzResult } from '../fromaz/az.js';
import { parseScript, type ShellCommand } from '../fromaz/shell.js';
import { exampleText } from './flags.js';

const EXAMPLES = exampleText([
  ['cnisim from-az -- az aks create --network-plugin azure \\\n      --network-plugin-mode overlay --pod-cidr 192.168.0.0/16 --node-count 3', 'an overlay cluster'],
  ['cnisim from-az --script create.sh --subnet aks-nodes=10.240.0.0/16', 'a whole script, with the node subnet\'s range'],
]);

export interface FromAzArgs {
  /** The words after `--` (one command), e.g. ['az', 'aks', 'create', '--node-count', '3']. */
  command?: string[];
  /** A script holding az commands (with `\` continuations and variables); `-` reads stdin. */
  script?: string;
  /** `<subnet name or id>=<cidr>`, repeatable. */
  subnet?: string[] | string;
}

/** Quotes a word for re-parsing as shell text (the words already had their quotes removed). */
function shellWord(w: string): string {
  return /^[A-Za-z0-9_./:=,@%+-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}

/** The scenario for the arguments; `stdin` supplies `--script -`. */
export function fromAzCommand(argv: FromAzArgs, io: { stdin?: () => string } = {}): FromAzResult {
  const subnets = subnetFlags(argv.subnet);
  let commands: ShellCommand[] = [];
  if (argv.script !== undefined) {
    let text: string;
    try {
      text = argv.script === '-' ? (io.stdin ?? (() => readFileSync(0, 'utf8')))() : readFileSync(argv.script, 'utf8');
    } catch (err) {
      throw inputError(`--script ${argv.script}: cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { cause: err });
    }
    commands = parseScript(text);
  }
  if (argv.command && argv.command.length) {
    // Re-read the words as shell text so one argument holding a whole pasted command also works.
    const words = argv.command.length === 1 ? argv.command[0]! : argv.command.map(shellWord).join(' ');
    commands.push(...parseScript(words).map((c) => ({ argv: c.argv, line: c.line })));
  }
  if (commands.length === 0) throw inputError('from-az: give the az command after --, e.g. cnisim from-az -- az aks create --network-plugin azure --network-plugin-mode overlay --node-count 3; or --script <file>');
  return fromAz(commands, { subnets });
}

/** The tip printed when the az command came without `--` in front of it. */
export function missingDashDash(words: readonly string[]): string {
  const shown = words.slice(0, 4).join(' ');
  return `from-az: tip: put the az command after --, e.g. cnisim from-az -- ${shown} …, so none of its flags is read as cnisim's own (--debug, -h)\n`;
}

export const fromAzModule: CommandModule<object, FromAzArgs> = {
  command: 'from-az [command..]',
  describe: 'print a scenario for the cluster an `az aks create` command (plus `az aks nodepool add` lines) creates',
  builder: (y: Argv<object>) =>
    y
      .parserConfiguration({ 'populate--': true, 'unknown-options-as-args': true })
      .positional('command', { type: 'string', array: true, describe: 'the az command, after --' })
      .option('script', { type: 'string', describe: 'read az commands from a shell script (variables and \\ continuations understood); - for stdin' })
      .option('subnet', { type: 'string', array: true, describe: '<subnet name or id>=<cidr>: the range of a subnet named by --vnet-subnet-id / --pod-subnet-id (repeatable)' })
      .epilogue(EXAMPLES) as unknown as Argv<FromAzArgs>,
  handler: (argv) => {
    const a = argv as FromAzArgs & { '--'?: (string | number)[]; _?: (string | number)[] };
    // Words after `--`: in argv['--'] with populate--, else left in argv._ after the command's own name.
    const after = (a['--'] ?? (a._ ?? []).slice(1)).map(String);
    // Without `--`, the az command's flags reach here as words (unknown options are kept as arguments): it is read
    // all the same, with a tip, since a flag az and cnisim share (--debug, -h) would have gone to cnisim.
    const before = (a.command ?? []).map(String);
    if (before.some((w) => w.startsWith('-'))) process.stderr.write(missingDashDash(before));
    const r = fromAzCommand({ ...a, command: [...before, ...after] });
    for (const u of r.unknown) process.stderr.write(`from-az: unknown flag, not read: ${u}\n`);
    if (r.placeholders.length) process.stderr.write(`from-az: fill in ${r.placeholders.join(', ')} before running (a subnet id does not say its range; use --subnet <name>=<cidr>)\n`);
    process.stdout.write(r.yaml);
  },
};
