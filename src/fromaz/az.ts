/**
 * `az aks create` (plus `az aks nodepool add`, and the `az network vnet [subnet] create` lines that give subnet
 * ranges) → a scenario for that cluster. The mode comes from --network-plugin / --network-plugin-mode /
 * --pod-subnet-id / --pod-ip-allocation-mode; flags that shape addresses become scenario keys; flags that do
 * not (location, VM size, SSH keys…) are listed as ignored; flags cnisim does not know are listed as unknown,
 * never dropped silently.
 *
 * Subnet ranges: `--vnet-subnet-id` and `--pod-subnet-id` name a subnet, not its range. The range is taken, in
 * this order, from a cnisim hint flag inside the command (`--vnet-subnet-cidr`, `--pod-subnet-cidr`), from
 * `--subnet <name or id>=<cidr>` given to `cnisim from-az`, or from an `az network vnet subnet create` line of the
 * same script; otherwise the key holds a `FILL-IN: …` placeholder that the validator refuses with its path, so
 * the scenario cannot run until the range is filled in.
 * Cost: O(words).
 */
import { maxPodsRange } from '../alloc/info.js';
import YAML from 'yaml';
import { inputError } from '../errors.js';
import { MODE_INFOS, modeInfo } from '../alloc/registry.js';
import type { ShellCommand } from './shell.js';

/** value: takes one word; bool: takes none; multi: takes every word up to the next flag (az's nargs='+'). */
type Kind = 'value' | 'bool' | 'multi';

/** Flags that shape addresses, by command; value = takes a value. Sources: az aks create / az aks nodepool add reference. */
const CREATE_USED: Readonly<Record<string, Kind>> = {
  name: 'value', 'resource-group': 'value', 'network-plugin': 'value', 'network-plugin-mode': 'value', 'pod-subnet-id': 'value',
  'pod-ip-allocation-mode': 'value', 'pod-cidr': 'value', 'pod-cidrs': 'value', 'service-cidr': 'value', 'service-cidrs': 'value',
  'dns-service-ip': 'value', 'ip-families': 'value', 'vnet-subnet-id': 'value', 'node-count': 'value', 'max-pods': 'value',
  'enable-cluster-autoscaler': 'bool', 'min-count': 'value', 'max-count': 'value', 'nodepool-name': 'value', 'os-type': 'value',
  'max-surge': 'value',
};
const NODEPOOL_USED: Readonly<Record<string, Kind>> = {
  name: 'value', 'cluster-name': 'value', 'resource-group': 'value', 'node-count': 'value', 'max-pods': 'value', 'vnet-subnet-id': 'value',
  'pod-subnet-id': 'value', 'pod-ip-allocation-mode': 'value', 'enable-cluster-autoscaler': 'bool', 'min-count': 'value',
  'max-count': 'value', 'os-type': 'value', 'max-surge': 'value',
};
/** cnisim's own hints, accepted inside the az command and removed from it. */
const HINTS: Readonly<Record<string, Kind>> = { 'vnet-subnet-cidr': 'value', 'pod-subnet-cidr': 'value', 'vnet-cidr': 'value' };
/** Known flags with no effect on address allocation. */
const IGNORED: Readonly<Record<string, Kind>> = {
  location: 'value', 'generate-ssh-keys': 'bool', 'ssh-key-value': 'value', 'kubernetes-version': 'value', 'node-vm-size': 'value',
  'os-sku': 'value', zones: 'multi', tags: 'multi', 'nodepool-tags': 'multi', 'enable-managed-identity': 'bool', 'assign-identity': 'value', 'network-dataplane': 'value',
  'network-policy': 'value', 'load-balancer-sku': 'value', 'outbound-type': 'value', 'enable-addons': 'value', 'workspace-resource-id': 'value',
  'attach-acr': 'value', yes: 'bool', 'no-wait': 'bool', 'admin-username': 'value', 'dns-name-prefix': 'value', 'enable-aad': 'bool',
  'aad-tenant-id': 'value', 'enable-azure-rbac': 'bool', tier: 'value', mode: 'value', labels: 'multi', 'node-taints': 'value',
  'nodepool-labels': 'multi', 'nodepool-taints': 'value', subscription: 'value', priority: 'value', 'eviction-policy': 'value',
  'spot-max-price': 'value', 'node-osdisk-size': 'value', 'node-osdisk-type': 'value', 'enable-node-public-ip': 'bool',
  'vm-set-type': 'value', 'api-server-authorized-ip-ranges': 'value', 'enable-private-cluster': 'bool', output: 'value', query: 'value',
  debug: 'bool', verbose: 'bool', 'only-show-errors': 'bool', 'enable-oidc-issuer': 'bool', 'enable-workload-identity': 'bool',
  'enable-encryption-at-host': 'bool', 'enable-fips-image': 'bool', 'windows-admin-username': 'value', 'windows-admin-password': 'value',
  'kubelet-identity': 'value', 'node-resource-group': 'value', 'enable-ultra-ssd': 'bool', 'ppg': 'value', 'aks-custom-headers': 'value',
};
const ALIASES: Readonly<Record<string, string>> = {
  n: 'name', g: 'resource-group', c: 'node-count', m: 'max-pods', l: 'location', k: 'kubernetes-version', s: 'node-vm-size',
  a: 'enable-addons', y: 'yes', o: 'output', z: 'zones', p: 'dns-name-prefix', u: 'admin-username',
};

export interface FromAzOptions {
  /** `--subnet <name or resource id>=<cidr>`: ranges of subnets named by --vnet-subnet-id / --pod-subnet-id. */
  readonly subnets?: ReadonlyMap<string, string>;
}

export interface FromAzResult {
  readonly yaml: string;
  /** The scenario object the YAML holds. */
  readonly scenario: Record<string, unknown>;
  /** `--flag` (command) for each flag cnisim does not know; also stray words. */
  readonly unknown: readonly string[];
  /** Known flags without effect on addresses. */
  readonly ignored: readonly string[];
  readonly notes: readonly string[];
  /** Keys left as FILL-IN placeholders. */
  readonly placeholders: readonly string[];
  readonly mode: string;
}

interface Parsed {
  readonly flags: Map<string, string | true>;
  readonly unknown: string[];
  readonly ignored: string[];
}

/** Reads the flags of one az command (words after the subcommand). */
function parseFlags(words: readonly string[], used: Readonly<Record<string, Kind>>, label: string): Parsed {
  const flags = new Map<string, string | true>();
  const unknown: string[] = [];
  const ignored: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    let name: string;
    let inline: string | undefined;
    if (w.startsWith('--')) {
      const eq = w.indexOf('=');
      name = eq > 0 ? w.slice(2, eq) : w.slice(2);
      inline = eq > 0 ? w.slice(eq + 1) : undefined;
    } else if (/^-[a-zA-Z]$/.test(w)) {
      name = ALIASES[w.slice(1)] ?? w;
    } else {
      unknown.push(`${JSON.stringify(w)} (a stray word in ${label})`);
      continue;
    }
    const kind = used[name] ?? HINTS[name] ?? IGNORED[name];
    const isFlag = (x: string | undefined) => x === undefined || (x.startsWith('-') && x.length > 1 && !/^-\d/.test(x));
    const takeValue = (): string | undefined => {
      if (inline !== undefined) return inline;
      const next = words[i + 1];
      if (isFlag(next)) return undefined;
      i++;
      return next;
    };
    // az's multi-value flags (--zones 1 2 3, --nodepool-labels a=b c=d, --tags k=v k2=v2) take every word up to the next flag.
    const takeValues = (): string | undefined => {
      const first = takeValue();
      if (first === undefined) return undefined;
      const all = [first];
      while (!isFlag(words[i + 1])) all.push(words[++i]!);
      return all.join(' ');
    };
    if (kind === undefined) {
      const v = takeValue();
      unknown.push(`--${name.replace(/^-+/, '')}${v === undefined ? '' : ` ${v}`} (${label})`);
      continue;
    }
    const value = kind === 'bool' ? true : kind === 'multi' ? takeValues() : takeValue();
    if (value === undefined) throw inputError(`${label}: --${name} needs a value`);
    if (used[name] === undefined && HINTS[name] === undefined) {
      ignored.push(`--${name}${value === true ? '' : ` ${value}`}`);
      continue;
    }
    flags.set(name, value);
  }
  return { flags, unknown, ignored };
}

/** The last segment of a subnet resource id (`…/subnets/<name>`), or the text itself. */
export function subnetName(id: string): string {
  const m = /\/subnets\/([^/]+)\/?$/i.exec(id);
  return m ? m[1]! : id;
}

function vnetNameOf(id: string): string | null {
  const m = /\/virtualNetworks\/([^/]+)\//i.exec(id);
  return m ? m[1]! : null;
}

const unresolved = (s: string) => /[$<>]|FILL-IN/.test(s);

/** A name the scenario accepts: lower-case letters, digits and '-'; `fallback` when nothing is left or it is a placeholder. */
function cleanName(text: string | undefined, fallback: string, max = 63): string {
  if (text === undefined || unresolved(text)) return fallback;
  const s = text.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, max).replace(/-+$/, '');
  return s === '' ? fallback : s;
}

function int(flags: Map<string, string | true>, name: string, label: string): number | undefined {
  const v = flags.get(name);
  if (v === undefined) return undefined;
  if (v === true || !/^\d+$/.test(v)) throw inputError(`${label}: --${name} ${String(v)} is not a whole number`);
  return Number(v);
}

function str(flags: Map<string, string | true>, name: string): string | undefined {
  const v = flags.get(name);
  return typeof v === 'string' ? v : undefined;
}

/** Which cnisim mode an az command line describes. */
export function modeOf(flags: Map<string, string | true>, notes: string[]): string {
  const plugin = str(flags, 'network-plugin')?.toLowerCase();
  const pluginMode = str(flags, 'network-plugin-mode')?.toLowerCase();
  const alloc = str(flags, 'pod-ip-allocation-mode')?.toLowerCase();
  if (plugin === 'none') throw inputError('az aks create: --network-plugin none (bring your own CNI) has no AKS allocation mode for cnisim to simulate; use azure, azure with overlay, or kubenet');
  if (plugin !== undefined && plugin !== 'azure' && plugin !== 'kubenet') throw inputError(`az aks create: --network-plugin ${plugin} is not one of azure, kubenet, none`);
  if (pluginMode !== undefined && pluginMode !== 'overlay') throw inputError(`az aks create: --network-plugin-mode ${pluginMode} is not overlay, the only value az accepts`);
  if (plugin === 'kubenet') {
    if (pluginMode) notes.push('--network-plugin-mode overlay applies to --network-plugin azure; kubenet kept');
    return 'kubenet';
  }
  if (pluginMode === 'overlay') {
    if (flags.has('pod-subnet-id')) notes.push('overlay ignores --pod-subnet-id: pods draw from --pod-cidr');
    return 'overlay';
  }
  if (plugin === undefined) {
    notes.push('no --network-plugin: AKS picks the default by Kubernetes version (Azure CNI Overlay on current versions, kubenet on old ones); overlay assumed');
    return 'overlay';
  }
  if (flags.has('pod-subnet-id')) return alloc === 'staticblock' ? 'static-block' : 'dynamic';
  if (alloc !== undefined) notes.push(`--pod-ip-allocation-mode ${alloc} needs --pod-subnet-id; traditional Azure CNI assumed`);
  return 'azure';
}

/** The scenario of the cluster the commands create. Throws an input error without an `az aks create`. */
export function fromAz(commands: readonly ShellCommand[], opts: FromAzOptions = {}): FromAzResult {
  const unknown: string[] = [];
  const ignored: string[] = [];
  const notes: string[] = [];
  const placeholders: string[] = [];
  const learned = new Map<string, string>();
  let vnetCidr: string | undefined;
  let create: { flags: Map<string, string | true>; text: string } | null = null;
  const pools: { flags: Map<string, string | true>; text: string }[] = [];

  for (const cmd of commands) {
    const a = cmd.argv;
    const at = a.indexOf('az');
    const w = at >= 0 ? a.slice(at + 1) : [];
    const label = `line ${cmd.line}: ${a.slice(Math.max(0, at), at + 4).join(' ')}`;
    if (w[0] === 'aks' && w[1] === 'create') {
      if (create) throw inputError(`${label}: a second az aks create; give one cluster per scenario`);
      const p = parseFlags(w.slice(2), CREATE_USED, 'az aks create');
      unknown.push(...p.unknown);
      ignored.push(...p.ignored);
      create = { flags: p.flags, text: a.slice(at).join(' ') };
    } else if (w[0] === 'aks' && w[1] === 'nodepool' && w[2] === 'add') {
      const p = parseFlags(w.slice(3), NODEPOOL_USED, 'az aks nodepool add');
      unknown.push(...p.unknown);
      ignored.push(...p.ignored);
      pools.push({ flags: p.flags, text: a.slice(at).join(' ') });
    } else if (w[0] === 'network' && w[1] === 'vnet' && (w[2] === 'create' || (w[2] === 'subnet' && w[3] === 'create'))) {
      // Learn ranges: az network vnet create --address-prefixes … [--subnet-name n --subnet-prefixes …];
      // az network vnet subnet create --name n --address-prefixes ….
      const words = w.slice(w[2] === 'create' ? 3 : 4);
      const get = (f: string) => {
        const i = words.findIndex((x) => x === `--${f}` || x.startsWith(`--${f}=`));
        if (i < 0) return undefined;
        return words[i]!.includes('=') ? words[i]!.slice(words[i]!.indexOf('=') + 1) : words[i + 1];
      };
      const name = get('name') ?? (words.includes('-n') ? words[words.indexOf('-n') + 1] : undefined);
      if (w[2] === 'create') {
        const p = get('address-prefixes') ?? get('address-prefix');
        if (p && !unresolved(p)) vnetCidr = p.split(/[ ,]/)[0];
        const sn = get('subnet-name');
        const sp = get('subnet-prefixes') ?? get('subnet-prefix');
        if (sn && sp && !unresolved(sp)) learned.set(sn, sp.split(/[ ,]/)[0]!);
      } else {
        const p = get('address-prefixes') ?? get('address-prefix');
        if (name && p && !unresolved(p)) learned.set(name, p.split(/[ ,]/)[0]!);
      }
    } else if (a.length > 0) {
      notes.push(`${label}: not a cluster command; skipped`);
    }
  }
  if (!create) throw inputError('from-az: no az aks create command found; pass one after --, e.g. cnisim from-az -- az aks create --network-plugin azure --network-plugin-mode overlay --node-count 3');

  const f = create.flags;
  const mode = modeOf(f, notes);
  const info = modeInfo(mode)!;

  const rangeOf = (id: string | undefined, hint: string | undefined, what: string, key: string): string | undefined => {
    if (hint !== undefined) return hint;
    if (id === undefined) return undefined;
    const name = subnetName(id);
    const known = opts.subnets?.get(id) ?? opts.subnets?.get(name) ?? learned.get(name);
    if (known !== undefined) return known;
    placeholders.push(key);
    // Short, so the validator's message (which quotes 40 characters) shows all of it; the how-to is in the header.
    return `FILL-IN CIDR of ${what === 'pod subnet' ? 'pod subnet ' : ''}${unresolved(name) ? 'the subnet' : name}`;
  };

  const network: Record<string, unknown> = {};
  const rg = str(f, 'resource-group');
  if (rg && !unresolved(rg)) network.resourceGroup = rg;
  const vnetHint = str(f, 'vnet-cidr') ?? vnetCidr;
  if (vnetHint) network.vnetCidr = vnetHint;
  const nodeSubnetId = str(f, 'vnet-subnet-id');
  if (nodeSubnetId) {
    const vn = vnetNameOf(nodeSubnetId);
    if (vn && !unresolved(vn)) network.vnetName = vn;
    const sn = subnetName(nodeSubnetId);
    if (!unresolved(sn) && sn !== nodeSubnetId) network.nodeSubnetName = sn;
  } else notes.push('no --vnet-subnet-id: AKS creates its own VNet; the node subnet is the scenario default 10.224.0.0/16');
  const nodeSubnet = rangeOf(nodeSubnetId, str(f, 'vnet-subnet-cidr'), 'node subnet', 'network.nodeSubnet');
  if (nodeSubnet) network.nodeSubnet = nodeSubnet;
  const usesPodSubnet = info.uses.podSubnet;
  const podSubnetId = str(f, 'pod-subnet-id');
  if (usesPodSubnet) {
    const sn = podSubnetId ? subnetName(podSubnetId) : undefined;
    if (sn && !unresolved(sn) && sn !== podSubnetId) network.podSubnetName = sn;
    const podSubnet = rangeOf(podSubnetId, str(f, 'pod-subnet-cidr'), 'pod subnet', 'network.podSubnet');
    if (podSubnet) network.podSubnet = podSubnet;
  }
  const families = str(f, 'ip-families')?.split(',').map((s) => s.trim().toLowerCase());
  if (families) network.ipFamilies = families;
  const podCidrs = str(f, 'pod-cidrs')?.split(',').map((s) => s.trim());
  const serviceCidrs = str(f, 'service-cidrs')?.split(',').map((s) => s.trim());
  if (info.uses.podCidr) {
    if (podCidrs) network.podCidrs = podCidrs;
    else if (str(f, 'pod-cidr')) network.podCidr = str(f, 'pod-cidr');
  } else if (podCidrs || str(f, 'pod-cidr')) notes.push(`${mode} has no pod CIDR: --pod-cidr kept out of the scenario`);
  if (serviceCidrs) network.serviceCidrs = serviceCidrs;
  else if (str(f, 'service-cidr')) network.serviceCidr = str(f, 'service-cidr');
  if (str(f, 'dns-service-ip')) network.dnsServiceIp = str(f, 'dns-service-ip');

  const poolOf = (flags: Map<string, string | true>, label: string, name: string, first: boolean): Record<string, unknown> => {
    const pool: Record<string, unknown> = { name };
    const count = int(flags, 'node-count', label);
    // [az aks create / nodepool add: --node-count defaults to 3]
    pool.count = count ?? 3;
    const maxPods = int(flags, 'max-pods', label);
    if (maxPods !== undefined) pool.maxPods = maxPods;
    if (flags.get('enable-cluster-autoscaler') === true) {
      const min = int(flags, 'min-count', label);
      const max = int(flags, 'max-count', label);
      if (min === undefined || max === undefined) throw inputError(`${label}: --enable-cluster-autoscaler needs --min-count and --max-count`);
      pool.autoscaler = { minCount: min, maxCount: max };
    } else if (flags.has('min-count') || flags.has('max-count')) notes.push(`${label}: --min-count/--max-count without --enable-cluster-autoscaler have no effect`);
    if (!first) {
      const sid = str(flags, 'vnet-subnet-id');
      if (sid !== undefined && sid !== nodeSubnetId) {
        const r = rangeOf(sid, str(flags, 'vnet-subnet-cidr'), 'node subnet', `nodePools[?].nodeSubnet (${name})`);
        if (r) pool.nodeSubnet = r;
      }
      const pid = str(flags, 'pod-subnet-id');
      if (pid !== undefined && pid !== podSubnetId) {
        if (usesPodSubnet) {
          const r = rangeOf(pid, str(flags, 'pod-subnet-cidr'), 'pod subnet', `nodePools[?].podSubnet (${name})`);
          if (r) pool.podSubnet = r;
        } else notes.push(`${label}: --pod-subnet-id has no effect in ${mode}`);
      }
      const alloc = str(flags, 'pod-ip-allocation-mode')?.toLowerCase();
      if (alloc !== undefined && (alloc === 'staticblock') !== (mode === 'static-block') && usesPodSubnet) {
        notes.push(`${label}: --pod-ip-allocation-mode ${alloc} differs from the cluster's ${mode}; a scenario runs one mode per cluster, so ${mode} is simulated`);
      }
    }
    const os = str(flags, 'os-type');
    if (os && os.toLowerCase() === 'windows' && mode === 'kubenet') notes.push(`${label}: kubenet is Linux only [overlay-doc]; the Windows pool is simulated like the others`);
    const surge = str(flags, 'max-surge');
    if (surge) notes.push(`${label}: --max-surge ${surge}: add an upgrade event ({at: …, upgrade: {pool: ${name}, maxSurge: ${/^\d+$/.test(surge) ? surge : JSON.stringify(surge)}}}) to simulate an upgrade; cnisim plan --surge sizes for it`);
    return pool;
  };

  const clusterName = cleanName(str(f, 'name'), 'aks-cluster');
  const nodePools = [poolOf(f, 'az aks create', cleanName(str(f, 'nodepool-name'), 'nodepool1', 12), true)];
  for (const p of pools) {
    const cn = str(p.flags, 'cluster-name');
    if (cn !== undefined && !unresolved(cn) && str(f, 'name') !== undefined && !unresolved(str(f, 'name')!) && cn !== str(f, 'name')) {
      notes.push(`az aks nodepool add --cluster-name ${cn}: another cluster than ${str(f, 'name')}; skipped`);
      continue;
    }
    let name = cleanName(str(p.flags, 'name'), `pool${nodePools.length + 1}`, 12);
    while (nodePools.some((x) => x.name === name)) name = `${name.slice(0, 10)}${nodePools.length + 1}`;
    nodePools.push(poolOf(p.flags, 'az aks nodepool add', name, false));
  }
  // Placeholder keys of extra pools: give their index now that the list is final.
  for (let i = 0; i < placeholders.length; i++) {
    const m = /^nodePools\[\?\]\.(\w+) \((.+)\)$/.exec(placeholders[i]!);
    if (m) placeholders[i] = `nodePools[${nodePools.findIndex((p) => p.name === m[2])}].${m[1]}`;
  }

  const first = nodePools[0]!;
  const perNode = (first.maxPods as number | undefined) ?? maxPodsRange(info).default;
  const scenario: Record<string, unknown> = {
    name: clusterName,
    platform: info.platform,
    description: `Generated by cnisim from-az from: ${create.text}`.slice(0, 2000),
    seed: 1,
    duration: '1h',
    sampleEvery: '1m',
    modes: [mode],
    network,
    nodePools,
    workload: [{ at: 0, deploy: { name: 'app', pool: first.name, replicas: Math.max(1, Math.floor(((first.count as number) * perNode) / 2)) } }],
  };

  const header: string[] = [
    `# ${clusterName}: generated by \`cnisim from-az\` — review, then: cnisim validate <file> && cnisim run <file>`,
    `# mode: ${mode} (${info.title})`,
    `# from: ${create.text}`,
    ...pools.map((p) => `#  and: ${p.text}`),
    '# The workload is a starting point (half of the first pool\'s pods): replace it with yours. To compare modes,',
    '# switch on the alternatives under modes: (uncomment them).',
  ];
  if (placeholders.length) {
    header.push('#', `# FILL IN before running: ${placeholders.join(', ')}. A subnet id names a subnet, not its range: look it up with`,
      '#   az network vnet subnet show --ids <subnet id> --query addressPrefix -o tsv',
      '# and write it here, or run from-az again with --subnet <subnet name>=<cidr>. cnisim validate refuses the placeholder.');
  }
  if (unknown.length) header.push('#', '# Unknown flags (not read; check them):', ...unknown.map((u) => `#   ${u}`));
  if (ignored.length) header.push('#', `# Ignored (no effect on addresses): ${ignored.join(' ')}`);
  if (notes.length) header.push('#', '# Notes:', ...notes.map((n) => `#   ${n}`));
  const yaml = `${header.join('\n')}\n${withAlternatives(YAML.stringify(scenario, { lineWidth: 0 }), mode, network)}`;
  return { yaml, scenario, unknown, ignored, notes, placeholders, mode };
}

/**
 * The `modes:` list of the YAML with the command's mode first and the other modes of its platform after it,
 * commented out, ready to switch on (a pod-subnet mode says when the scenario has no pod subnet yet).
 */
function withAlternatives(yaml: string, mode: string, network: Record<string, unknown>): string {
  const platform = modeInfo(mode)!.platform;
  const others = MODE_INFOS.filter((i) => i.name !== mode && i.platform === platform);
  if (others.length === 0) return yaml;
  const width = Math.max(...others.map((i) => i.name.length));
  const lines = others.map((i) => {
    const needs = i.uses.podSubnet && network.podSubnet === undefined ? '; needs network.podSubnet' : '';
    return `  # - ${i.name.padEnd(width)}  # ${i.title}${needs}`;
  });
  return yaml.replace(`modes:\n  - ${mode}\n`, `modes:\n  - ${mode}\n${lines.join('\n')}\n`);
}
