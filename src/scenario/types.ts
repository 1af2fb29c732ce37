/**
 * The validated, fully defaulted scenario: what `loadScenario` returns and the simulation reads.
 * Every field is checked at load time (see validate.ts); nothing here needs checking again inside a run.
 * Times are integer milliseconds, CIDRs are parsed (src/net), names are plain strings.
 */
import type { Cidr, Cidr4, Cidr6 } from '../net/index.js';
import type { Problem } from '../errors.js';
import type { Platform } from '../alloc/platform/platforms.js';

export interface Scenario {
  readonly file: string;
  /** `[a-z0-9][a-z0-9._-]*`, at most 63 characters; names the results folder. Default: the file name, lower-cased and cleaned. */
  readonly name: string;
  readonly description: string;
  /** Integer ≥ 0; default 1. */
  readonly seed: number;
  /** `duration`: > 0, at most 365 days. Required. */
  readonly durationMs: number;
  /** `sampleEvery`: > 0, default 1m; durationMs / sampleEveryMs ≤ 1,000,000. */
  readonly sampleEveryMs: number;
  /** Whose network the scenario describes (default azure): its defaults, and the default modes. */
  readonly platform: Platform;
  /** The runs: each mode runs the whole scenario on its own. Default: the platform's modes, in table order. */
  readonly modes: readonly string[];
  readonly placement: 'spread' | 'pack';
  readonly clusters: readonly ClusterScenario[];
  /** Every mode of MODE_NAMES (not only the selected ones), parsed with its `info.params` schema: defaults filled in. */
  readonly parameters: Readonly<Record<string, unknown>>;
  /** Non-fatal problems: print them, then run. */
  readonly warnings: readonly Problem[];
}

export interface Network {
  readonly vnetCidr: Cidr4 | null;
  /** Default 10.224.0.0/16 (the subnet of AKS's default VNet 10.224.0.0/12). */
  readonly nodeSubnet: Cidr4;
  /** Required when a pod-subnet mode (dynamic, static-block) runs this cluster, unless every pool has its own. */
  readonly podSubnet: Cidr4 | null;
  /** Default 10.244.0.0/16 (a mode with its own default uses that unless podCidrGiven). */
  readonly podCidr: Cidr4;
  /** Whether the scenario named the pod CIDR (podCidr or podCidrs). */
  readonly podCidrGiven: boolean;
  /** Dual stack only (default fd12:3456:789a::/64); null with ipFamilies [ipv4]. */
  readonly podCidr6: Cidr6 | null;
  /** Default 10.0.0.0/16. */
  readonly serviceCidr: Cidr4;
  /** Dual stack only (default fd12:3456:789a:1::/108); null with ipFamilies [ipv4]. */
  readonly serviceCidr6: Cidr6 | null;
  /** A uint32 inside serviceCidr; default its 10th address (10.0.0.10). */
  readonly dnsServiceIp: number;
  /** More IPv4 pod CIDRs after podCidr (modes with uses.podCidrList); [] when none. */
  readonly additionalPodCidrs: readonly Cidr4[];
  readonly peeredCidrs: readonly Cidr[];
  /** [ipv4] or [ipv4, ipv6]. */
  readonly ipFamilies: readonly ('ipv4' | 'ipv6')[];
  /** Private addresses the VNet may hold, counted by the AKS modes (default 65,536 [vnet-limits]). */
  readonly vnetIpLimit: number;
  /** Names, validated only (≤ 63 characters [overlay-doc]); null when not given. */
  readonly vnetName: string | null;
  readonly nodeSubnetName: string | null;
  readonly podSubnetName: string | null;
  readonly resourceGroup: string | null;
}

export interface ClusterScenario {
  /** "default" for a file without `clusters:`. */
  readonly name: string;
  /**
   * null: the cluster runs under each mode of `Scenario.modes` in turn. A mode name: the cluster is pinned and
   * runs under that mode in every run (use `effectiveMode(cluster, runMode)`). Only pinned clusters can put two
   * modes on one subnet in the same run, which the validator refuses for static-block with dynamic.
   */
  readonly mode: string | null;
  readonly network: Network;
  readonly pools: readonly PoolScenario[];
  /** Sorted by time (atMs), stable: file order among equal times. */
  readonly workload: readonly WorkloadEvent[];
}

export interface Autoscaler {
  readonly minCount: number;
  readonly maxCount: number;
  /** Default 3m [issue 4]. */
  readonly provisionDelayMs: number;
  /** Default 10m (cluster-autoscaler's scale-down-unneeded-time). */
  readonly scaleDownDelayMs: number;
}

export interface PoolScenario {
  /** `[a-z0-9][a-z0-9-]*`, ≤ 63 characters, unique within the cluster (including pools added later). */
  readonly name: string;
  /** Nodes at t = 0 (or when an addPool event runs). Default: autoscaler.minCount, else 3 (az aks create). */
  readonly count: number;
  /** null: each mode's default. When given, within the range of every mode the cluster runs under. */
  readonly maxPods: number | null;
  /** The first of nodeSubnets. */
  readonly nodeSubnet: Cidr4;
  /** `nodeSubnets` (one per availability zone), or [nodeSubnet]. */
  readonly nodeSubnets: readonly Cidr4[];
  readonly podSubnet: Cidr4 | null;
  /** The pool's own pod range (`podCidr` on the pool), for modes that take one; null: the cluster's. */
  readonly podCidr: Cidr4 | null;
  /** Values of the mode-declared pool keys (ModeInfo.poolKeys, e.g. instanceType), as written; each mode parses them. */
  readonly modeKeys: Readonly<Record<string, unknown>>;
  readonly autoscaler: Autoscaler | null;
  /**
   * Time from a node being requested by a `nodes` event to its joining (default 0). Nodes of `count` join at the
   * start (t = 0 or the addPool time); the autoscaler uses its provisionDelayMs and upgrades their bootMs.
   */
  readonly bootDelayMs: number;
}

export type WorkloadEvent =
  /**
   * hostNetwork (present only when true): the pods share their node's address (kube-proxy, the CNI's own agents). They are
   * placed and count against max-pods, but never ask the allocator for an address.
   */
  | { readonly type: 'deploy'; readonly atMs: number; readonly name: string; readonly pool: string; readonly replicas: number; readonly hostNetwork?: boolean }
  | { readonly type: 'scale'; readonly atMs: number; readonly name: string; readonly replicas: number }
  /** Deletes a deployment or a daemonset. */
  | { readonly type: 'delete'; readonly atMs: number; readonly name: string }
  | { readonly type: 'daemonset'; readonly atMs: number; readonly name: string; readonly pool: string | null; readonly hostNetwork?: boolean }
  | { readonly type: 'churn'; readonly atMs: number; readonly toMs: number; readonly pool: string; readonly ratePerSecond: number; readonly lifetimeMs: number }
  | { readonly type: 'nodes'; readonly atMs: number; readonly pool: string; readonly count: number }
  | { readonly type: 'upgrade'; readonly atMs: number; readonly pool: string; readonly maxSurge: number | string; readonly drainMs: number; readonly bootMs: number }
  /** To a mode some modes migrate to (capabilities.migratesTo); podCidr: the new pod CIDR for modes without one (azure → overlay); a mode with a pod CIDR keeps it. */
  | { readonly type: 'migrate'; readonly atMs: number; readonly to: string; readonly podCidr: Cidr4 | null }
  | { readonly type: 'expandPodCidr'; readonly atMs: number; readonly podCidr: Cidr4 }
  | { readonly type: 'addPool'; readonly atMs: number; readonly pool: PoolScenario }
  | { readonly type: 'removePool'; readonly atMs: number; readonly pool: string };

export type WorkloadEventType = WorkloadEvent['type'];
