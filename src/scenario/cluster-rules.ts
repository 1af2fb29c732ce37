/**
 * Scenario validation, the cluster rules (docs/model.md) (each applied only to the modes that use
 * the space it names) and the subnets shared between clusters.
 */

import { contains, overlaps, parseCidr4, type Cidr4 } from '../net/index.js';

import { maxPodsRange } from '../alloc/info.js';
import { MODE_INFOS, modeInfo } from '../alloc/registry.js';
import type { Platform } from '../alloc/platform/platforms.js';
import { PLATFORM_RULES, type NetworkFacts } from '../alloc/platform/rules.js';
import { at, Problems } from './problems.js';
import {
  SERVICE_CIDR6_LARGEST_PREFIX,
  ClusterDraft,
  PoolDraft,
  fmtInt,
  listOf,
  Space,
} from './drafts.js';

// ————— cluster rules —————

export function nodeSubnets(c: ClusterDraft): Space[] {
  const out: Space[] = [];
  const seen = new Set<string>();
  for (const pool of c.allPools) {
    const s = pool.nodeSubnet;
    if (s.value === undefined) continue;
    const key = `${s.value.text} ${s.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ cidr: s.value, path: s.path, what: 'node subnet', cluster: c.name ?? '' });
  }
  return out;
}

export function podSubnets(c: ClusterDraft): Space[] {
  const out: Space[] = [];
  const seen = new Set<string>();
  for (const pool of c.allPools) {
    const s = pool.podSubnet;
    if (s.value === undefined || s.value === null) continue;
    const key = `${s.value.text} ${s.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ cidr: s.value, path: s.path, what: 'pod subnet', cluster: c.name ?? '' });
  }
  return out;
}

export function usesOf(modes: readonly string[]) {
  const infos = modes.map((m) => modeInfo(m)!);
  return {
    podSubnet: infos.filter((i) => i.uses.podSubnet).map((i) => i.name),
    podCidr: infos.filter((i) => i.uses.podCidr).map((i) => i.name),
    notDualStack: infos.filter((i) => !i.uses.dualStack).map((i) => i.name),
  };
}

/** The platforms of the modes a cluster runs; none while its modes are invalid (their error is reported already). */
function platformsOf(modes: readonly string[] | undefined): Platform[] {
  if (modes === undefined) return [];
  return [...new Set(modes.map((m) => modeInfo(m)!.platform))];
}

export function numParam(params: Record<string, unknown>, mode: string, key: string): number | undefined {
  const v = (params[mode] as Record<string, unknown> | undefined)?.[key];
  return typeof v === 'number' ? v : undefined;
}

export function checkCluster(c: ClusterDraft, modes: readonly string[] | undefined, params: Record<string, unknown>, p: Problems): void {
  const net = c.net;
  const nodes = nodeSubnets(c);
  const uses = modes === undefined ? undefined : usesOf(modes);
  const pods = uses && uses.podSubnet.length > 0 ? podSubnets(c) : [];
  const vnet = net.vnetCidr.value;
  const svc = net.serviceCidr.value;
  const peered = net.peeredCidrs.value ?? [];
  const azureSubnets = [...nodes, ...pods];

  // Provider subnets: inside the VNet / VPC, apart from peered networks, node and pod subnets apart.
  for (const s of azureSubnets) {
    if (vnet && !contains(vnet, s.cidr)) p.error(s.path, `the ${s.what} ${s.cidr.text} lies outside the ${net.vnetCidr.path.endsWith('vpcCidr') ? 'VPC' : 'VNet'} ${vnet.text} (${net.vnetCidr.path})`);
    for (const peer of peered) {
      if (overlaps(peer, s.cidr)) p.error(s.path, `the ${s.what} ${s.cidr.text} overlaps the peered network ${peer.text} (${net.peeredCidrs.path})`);
    }
  }
  if (vnet) {
    for (const peer of peered) {
      if (overlaps(peer, vnet)) p.error(net.peeredCidrs.path, `the peered network ${peer.text} overlaps the VNet ${vnet.text}: a network cannot peer with an overlapping address space`);
    }
  }
  for (const ps of pods) {
    for (const ns of nodes) {
      if (overlaps(ps.cidr, ns.cidr)) p.error(ps.path, `the pod subnet ${ps.cidr.text} overlaps the node subnet ${ns.cidr.text} (${ns.path}): they must be separate subnets`);
    }
  }

  // The service CIDR may overlap neither subnets nor peered networks (every platform).
  if (svc) {
    for (const s of azureSubnets) {
      if (overlaps(svc, s.cidr)) p.error(net.serviceCidr.path, `${svc.text} overlaps the ${s.what} ${s.cidr.text} (${s.path}) [overlay-doc]`);
    }
    for (const peer of peered) {
      if (overlaps(svc, peer)) p.error(net.serviceCidr.path, `${svc.text} overlaps the peered network ${peer.text} (${net.peeredCidrs.path}) [overlay-doc]`);
    }
  }

  // Each platform's own rules (subnet sizes, AKS's service CIDR and DNS rules) for the platforms the cluster runs on.
  const facts: NetworkFacts = {
    subnets: azureSubnets.flatMap((s) => (s.cidr.family === 4 ? [{ cidr: s.cidr, path: s.path, what: s.what }] : [])),
    serviceCidr: svc ? { cidr: svc, path: net.serviceCidr.path, what: 'service CIDR' } : null,
    dns: net.dnsServiceIp.value === undefined ? null : { ip: net.dnsServiceIp.value, path: net.dnsServiceIp.path },
  };
  for (const platform of platformsOf(modes)) PLATFORM_RULES[platform](facts, p);

  if (modes === undefined || uses === undefined) return;

  // Pod CIDR (overlay, kubenet) [overlay-doc].
  // Each pod-CIDR mode's pod CIDR: the scenario's, or the mode's own default when the scenario names none.
  const byCidr = new Map<string, { cidr: Cidr4; modes: string[]; own: boolean }>();
  for (const m of uses.podCidr) {
    const info = modeInfo(m)!;
    const own = !net.podCidr.given && info.defaultPodCidr !== undefined;
    const cidr = own ? parseCidr4(info.defaultPodCidr!) : net.podCidr.value;
    if (cidr === undefined) continue;
    const block = numParam(params, m, 'blockPrefix');
    if (block !== undefined && cidr.prefix > block) p.error(net.podCidr.path, `${cidr.text} is smaller than the /${block} block each node takes in ${m} mode`);
    const g = byCidr.get(cidr.text) ?? { cidr, modes: [], own };
    g.modes.push(m);
    byCidr.set(cidr.text, g);
  }
  for (const { cidr, modes: ms, own } of byCidr.values()) {
    const path = own ? `${net.podCidr.path} (${listOf(ms)}'s default ${cidr.text})` : net.podCidr.path;
    const skipsService = ms.every((m) => modeInfo(m)!.capabilities.serviceCidrInsidePodCidr === true);
    // A mode's own default the scenario did not choose: overlaps are warnings that name the fix.
    checkPodCidrPlacement(c, cidr, path, 'warn', p, skipsService, own ? `; the scenario names no pod CIDR: set network.podCidr to a range apart from the others` : null);
    // AKS's provisioning pre-check, for the AKS modes only.
    const aks = ms.filter((m) => modeInfo(m)!.platform === 'azure');
    if (aks.length > 0) warnPodCidrFit(c, cidr, aks, params, p);
  }

  // More IPv4 pod CIDRs (modes that take a list): apart from each other, from the first and from every other space.
  const extra = net.additionalPodCidrs.value ?? [];
  if (extra.length > 0) {
    const listUsers = modes.filter((m) => modeInfo(m)!.uses.podCidrList === true);
    if (listUsers.length === 0) {
      const users = MODE_INFOS.filter((i) => i.uses.podCidrList === true).map((i) => i.name);
      p.warn(net.additionalPodCidrs.path, `only ${listOf(users)} take more than one pod CIDR; ignored under ${listOf(modes)}`);
    } else {
      const ignoring = modes.filter((m) => !listUsers.includes(m));
      if (ignoring.length > 0) p.warn(net.additionalPodCidrs.path, `ignored in the ${listOf(ignoring)} run${ignoring.length > 1 ? 's' : ''}: only ${listOf(listUsers)} take${listUsers.length === 1 ? 's' : ''} more than one pod CIDR`);
      const first = net.podCidr.value;
      extra.forEach((cidr, i) => {
        const path = at(net.additionalPodCidrs.path, i);
        if (!net.podCidr.given) p.error(path, `additional pod CIDRs follow a podCidr the scenario names: give network.podCidr too (${listOf(listUsers)} would otherwise start from ${listOf(listUsers.map((m) => modeInfo(m)!.defaultPodCidr ?? first?.text ?? ''))})`);
        else if (first && overlaps(first, cidr)) p.error(path, `${cidr.text} overlaps the pod CIDR ${first.text} (${net.podCidr.path})`);
        for (let j = 0; j < i; j++) if (overlaps(extra[j]!, cidr)) p.error(path, `${cidr.text} overlaps ${extra[j]!.text} (${at(net.additionalPodCidrs.path, j)})`);
        checkPodCidrPlacement(c, cidr, path, 'warn', p);
      });
    }
  }

  // Pod subnet (dynamic, static-block).
  if (uses.podSubnet.length > 0) {
    const lacking = c.allPools.filter((pool) => pool.podSubnet.value === null);
    if (lacking.length > 0) {
      const names = lacking.map((pool) => pool.name ?? pool.path);
      p.error(at(net.path, 'podSubnet'), `required by ${listOf(uses.podSubnet)} (pod-subnet mode${uses.podSubnet.length > 1 ? 's' : ''}): give network.podSubnet, or a podSubnet for node pool${names.length > 1 ? 's' : ''} ${listOf(names)}`);
    }
    for (const m of uses.podSubnet) {
      const largest = numParam(params, m, 'largestPodSubnet');
      const block = numParam(params, m, 'blockPrefix');
      for (const s of pods) {
        if (largest !== undefined && s.cidr.prefix < largest) p.error(s.path, `${s.cidr.text} is larger than /${largest}: ${m} mode allows a pod subnet of at most /${largest} [podsubnet-doc]`);
        if (block !== undefined && s.cidr.prefix > block) p.error(s.path, `${s.cidr.text} is smaller than one /${block} block of ${m} mode`);
      }
    }
  }

  // Dual stack [overlay-doc].
  const fam = net.ipFamilies.value;
  if (fam && fam.length === 2) {
    if (uses.notDualStack.length > 0) {
      p.error(net.ipFamilies.path, `dual stack is supported only by ${listOf(MODE_INFOS.filter((i) => i.uses.dualStack).map((i) => i.name))}; ${listOf(uses.notDualStack)} cannot run it: set modes (or this cluster's mode) accordingly`);
    }
    const pod6 = net.podCidr6.value;
    const svc6 = net.serviceCidr6.value;
    if (svc6 && svc6.prefix < SERVICE_CIDR6_LARGEST_PREFIX) p.error(net.serviceCidr6.path, `${svc6.text} is larger than /${SERVICE_CIDR6_LARGEST_PREFIX}: the IPv6 service CIDR may not be larger [overlay-doc]`);
    if (pod6) {
      for (const m of modes) {
        const block6 = numParam(params, m, 'block6Prefix');
        if (block6 !== undefined && pod6.prefix > block6) p.error(net.podCidr6.path, `${pod6.text} is smaller than the /${block6} IPv6 block each node takes in ${m} mode`);
      }
      if (svc6 && overlaps(pod6, svc6)) p.error(net.podCidr6.path, `${pod6.text} overlaps the IPv6 service CIDR ${svc6.text} (${net.serviceCidr6.path})`);
      for (const peer of peered) if (overlaps(pod6, peer)) p.error(net.podCidr6.path, `${pod6.text} overlaps the peered network ${peer.text} (${net.peeredCidrs.path})`);
    }
    if (svc6) for (const peer of peered) if (overlaps(svc6, peer)) p.error(net.serviceCidr6.path, `${svc6.text} overlaps the peered network ${peer.text} (${net.peeredCidrs.path})`);
  }

  // max-pods within range of every mode the cluster runs under (and the migration target when it migrates).
  const rangeModes = c.migratesTo !== null && !modes.includes(c.migratesTo) ? [...modes, c.migratesTo] : modes;
  for (const pool of c.allPools) checkPoolForModes(pool, rangeModes, params, p);
}

/**
 * A pool under each mode it runs: its mode keys parse under the mode's pool settings (a key no mode of the run
 * uses is a warning), and its max-pods lies in the mode's range for that pool (above a range that only warns is
 * a warning).
 */
function checkPoolForModes(pool: PoolDraft, modes: readonly string[], params: Record<string, unknown>, p: Problems): void {
  const infos = modes.map((m) => modeInfo(m)!);
  if (pool.podCidr.given && pool.podCidr.value && !infos.some((i) => i.uses.poolPodCidr === true)) {
    const users = MODE_INFOS.filter((i) => i.uses.poolPodCidr === true).map((i) => i.name);
    p.warn(pool.podCidr.path, `only ${listOf(users)} give${users.length === 1 ? 's' : ''} a node pool its own pod range; ignored under ${listOf(modes)}`);
  }
  if (pool.modeKeys === undefined) return;
  for (const key of Object.keys(pool.modeKeys)) {
    if (!infos.some((i) => key in i.poolKeys)) {
      const users = MODE_INFOS.filter((i) => key in i.poolKeys).map((i) => i.name);
      p.warn(at(pool.path, key), `only ${listOf(users)} use${users.length === 1 ? 's' : ''} ${key}; ignored under ${listOf(modes)}`);
    }
  }
  const mp = pool.maxPods;
  let above: { name: string; max: number } | undefined;
  let below: { name: string; min: number } | undefined;
  for (const info of infos) {
    const r = info.poolParams.safeParse(pool.modeKeys);
    if (!r.success) {
      for (const issue of r.error.issues) p.error(at(pool.path, ...issue.path.map(String)), `${issue.message} (${info.name})`);
      continue;
    }
    if (mp === null || mp === undefined) continue;
    const range = maxPodsRange(info, r.data, params[info.name]);
    if (mp > range.max && range.aboveMaxWarns) {
      p.warn(at(pool.path, 'maxPods'), `${mp} is above the ${info.name} value of ${range.max}${range.why ? ` (${range.why})` : ''}: allowed, but the node may run out of addresses first`);
    } else if (mp > range.max && (above === undefined || range.max < above.max)) above = { name: info.name, max: range.max };
    if (mp < range.min && (below === undefined || range.min > below.min)) below = { name: info.name, min: range.min };
  }
  if (above) p.error(at(pool.path, 'maxPods'), `${mp} is above the ${above.name} maximum of ${above.max}`);
  if (below) p.error(at(pool.path, 'maxPods'), `${mp} is below the ${below.name} minimum of ${below.min}`);
}

/** [Azure/AKS-Construction issue 701] AKS counts the pools' maximum nodes × one block each against the pod CIDR. */
export function warnPodCidrFit(c: ClusterDraft, podCidr: Cidr4, podCidrModes: readonly string[], params: Record<string, unknown>, p: Problems): void {
  let nodes = 0;
  let scaled = false;
  for (const pool of c.allPools) {
    const n = pool.autoscaler ? Math.max(pool.autoscaler.maxCount, pool.count ?? 0) : (pool.count ?? 0);
    if (pool.autoscaler) scaled = true;
    nodes += n;
  }
  if (!scaled) return;
  for (const m of podCidrModes) {
    const block = numParam(params, m, 'blockPrefix');
    if (block === undefined || podCidr.prefix > block) continue;
    const perNode = 2 ** (32 - block);
    const fits = podCidr.size / perNode;
    if (nodes > fits) {
      p.warn(
        c.net.podCidr.path,
        `the node pools may reach ${fmtInt(nodes)} nodes (autoscaler maxCount), × ${perNode} addresses (a /${block} each) = ${fmtInt(nodes * perNode)}, which does not fit the pod CIDR ${podCidr.text} (${fmtInt(podCidr.size)} addresses: ${fmtInt(fits)} nodes); AKS refuses such a pool [Azure/AKS-Construction issue 701]`,
      );
    }
  }
}

/**
 * Across clusters (one VNet): Azure subnets are identical (shared) or disjoint, a subnet is never both a node
 * and a pod subnet, and no run puts two pod-subnet modes (static-block, dynamic) on one subnet [podsubnet-doc].
 */
export function checkSharedSubnets(clusters: readonly ClusterDraft[], modes: readonly string[] | undefined, p: Problems): void {
  const spaces: Space[] = [];
  for (const c of clusters) {
    spaces.push(...nodeSubnets(c));
    const cm = c.mode === undefined ? undefined : c.mode !== null ? [c.mode] : modes;
    if (cm && usesOf(cm).podSubnet.length > 0) spaces.push(...podSubnets(c));
  }
  // Sweep in address order: a range overlaps an earlier one iff it starts before the farthest end seen.
  const v4s = spaces.filter((s) => s.cidr.family === 4) as (Space & { cidr: Cidr4 })[];
  v4s.sort((a, b) => a.cidr.base - b.cidr.base || a.cidr.prefix - b.cidr.prefix);
  let far: (Space & { cidr: Cidr4 }) | undefined;
  const reported = new Set<string>();
  for (const s of v4s) {
    // Node/pod overlaps inside one cluster are reported by checkCluster already.
    if (far && s.cidr.base < far.cidr.base + far.cidr.size && !(s.cluster === far.cluster && s.what !== far.what)) {
      const key = `${s.path} ${far.path}`;
      if (s.cidr.text !== far.cidr.text && !reported.has(key)) {
        reported.add(key);
        p.error(s.path, `${s.cidr.text} overlaps ${far.cidr.text} (${far.path}) without being the same subnet: subnets of one VNet are either shared or apart`);
      } else if (s.cidr.text === far.cidr.text && s.what !== far.what && !reported.has(key)) {
        reported.add(key);
        p.error(s.path, `${s.cidr.text} is a ${s.what} here and a ${far.what} at ${far.path}: a subnet serves nodes or pods, not both`);
      }
    }
    if (!far || s.cidr.base + s.cidr.size > far.cidr.base + far.cidr.size) far = s;
  }

  // One pod-subnet mode per subnet in every run: only pinned clusters can mix modes in one run.
  if (modes === undefined || !clusters.some((c) => c.mode)) return;
  const conflicts = new Set<string>();
  for (const run of modes) {
    const bySubnet = new Map<string, { mode: string; cluster: ClusterDraft }>();
    for (const c of clusters) {
      if (c.mode === undefined) continue;
      const m = c.mode ?? run;
      if (!modeInfo(m)!.uses.podSubnet) continue;
      for (const s of podSubnets(c)) {
        const prev = bySubnet.get(s.cidr.text);
        if (prev === undefined) bySubnet.set(s.cidr.text, { mode: m, cluster: c });
        else if (prev.mode !== m) {
          const pinned = c.mode ? c : prev.cluster;
          const key = `${s.cidr.text} ${pinned.modePath}`;
          if (conflicts.has(key)) continue;
          conflicts.add(key);
          p.error(
            pinned.modePath,
            `the pod subnet ${s.cidr.text} would be used in ${prev.mode} mode by cluster "${prev.cluster.name ?? '?'}" and in ${m} mode by cluster "${c.name ?? '?'}" in the ${run} run: a subnet serves one pod-subnet mode [podsubnet-doc]; give them separate subnets or change modes`,
          );
        }
      }
    }
  }
}

/**
 * Clusters in one VNet (the same vnetCidr, or none stated) share its private-address limit [vnet-limits]: they
 * must agree on network.vnetIpLimit, or the run would count them against whichever cluster asked first.
 */
export function checkSharedVnetLimits(clusters: readonly ClusterDraft[], p: Problems): void {
  const first = new Map<string, ClusterDraft>();
  for (const c of clusters) {
    const key = c.net.vnetCidr.value?.text ?? '';
    const prev = first.get(key);
    if (prev === undefined) {
      first.set(key, c);
      continue;
    }
    const a = prev.net.vnetIpLimit;
    const b = c.net.vnetIpLimit;
    if (a.value === undefined || b.value === undefined || a.value === b.value) continue;
    const vnet = key === '' ? 'the same VNet (no vnetCidr stated)' : `the same VNet (${key})`;
    const at = b.given ? b : a;
    const other = at === b ? a : b;
    const otherName = at === b ? prev.name : c.name;
    p.error(
      at.path,
      `${at.value!.toLocaleString('en-US')}, but cluster "${otherName ?? '?'}" in ${vnet} counts against ${other.value!.toLocaleString('en-US')}${other.given ? ` (${other.path})` : ' (the default)'}: clusters in one VNet share its private-address limit; state the same vnetIpLimit for each, or once in the top-level network`,
    );
  }
}

/** A pod CIDR (overlay) may not overlap the node subnets, the service CIDR or peered networks; the VNet: `vnet`. */
export function checkPodCidrPlacement(c: ClusterDraft, cidr: Cidr4, path: string, vnet: 'error' | 'warn', p: Problems, serviceInsideOk = false, defaultNote: string | null = null): void {
  // A mode's own default pod CIDR (defaultNote set) is reported, not refused: the user did not choose it.
  const report = (msg: string) => (defaultNote === null ? p.error(path, msg) : p.warn(path, msg + defaultNote));
  for (const s of nodeSubnets(c)) {
    if (overlaps(cidr, s.cidr)) report(`${cidr.text} overlaps the node subnet ${s.cidr.text} (${s.path}) [overlay-doc]`);
  }
  const svc = c.net.serviceCidr.value;
  if (svc && overlaps(cidr, svc) && !(serviceInsideOk && contains(cidr, svc))) report(`${cidr.text} overlaps the service CIDR ${svc.text} (${c.net.serviceCidr.path}) [overlay-doc]`);
  for (const peer of c.net.peeredCidrs.value ?? []) {
    if (overlaps(cidr, peer)) report(`${cidr.text} overlaps the peered network ${peer.text} (${c.net.peeredCidrs.path}) [overlay-doc]`);
  }
  const vn = c.net.vnetCidr.value;
  if (vn && overlaps(cidr, vn)) {
    const msg = `${cidr.text} overlaps the VNet ${vn.text} (${c.net.vnetCidr.path}): the pod CIDR should lie outside the VNet [overlay-doc]`;
    if (vnet === 'error') p.error(path, msg);
    else p.warn(path, msg);
  }
}
