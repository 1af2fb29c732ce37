/** Test helpers for allocators: cluster specs from CIDR text, a recording host, and building one allocator. */
import { parseCidr4, parseCidr6 } from '../../src/net/index.js';
import { findMode } from '../../src/alloc/registry.js';
import { RunSpaces } from '../../src/alloc/spaces.js';
import { emptyGauges, type Allocator, type AllocatorHost, type Clock, type ClusterSpec, type Gauges } from '../../src/alloc/types.js';

export interface PoolText {
  maxPods: number;
  nodeSubnet: string;
  /** Extra node subnets (availability zones) after nodeSubnet. */
  moreNodeSubnets?: string[];
  podSubnet?: string;
  podCidr?: string;
  /** The pool's mode settings, raw (parsed by the mode's poolParams in build()). */
  params?: Record<string, unknown>;
}

export function clusterSpec(opts: { name?: string; podCidr?: string; podCidrs?: string[]; podCidr6?: string | null; serviceCidr?: string; networkIpLimit?: number; pools: PoolText[] }): ClusterSpec {
  const podCidrs = (opts.podCidrs ?? [opts.podCidr ?? '10.244.0.0/16']).map(parseCidr4);
  return {
    name: opts.name ?? 'c1',
    podCidrs,
    podCidr: podCidrs[0]!,
    podCidr6: opts.podCidr6 ? parseCidr6(opts.podCidr6) : null,
    serviceCidr: parseCidr4(opts.serviceCidr ?? '10.0.0.0/16'),
    networkKey: 'vnet',
    networkIpLimit: opts.networkIpLimit ?? 65_536,
    pools: opts.pools.map((p, i) => ({
      name: `pool${i}`,
      maxPods: p.maxPods,
      nodeSubnets: [p.nodeSubnet, ...(p.moreNodeSubnets ?? [])].map(parseCidr4),
      podSubnet: p.podSubnet === undefined ? null : parseCidr4(p.podSubnet),
      podCidr: p.podCidr === undefined ? null : parseCidr4(p.podCidr),
      params: p.params ?? {},
    })),
  };
}

export interface RecordedEvent {
  event: string;
  cause: number;
  node: number;
  detail: string;
}

export interface TestHost extends AllocatorHost {
  readonly grants: { pod: number; node: number; handle: number }[];
  readonly events: RecordedEvent[];
  onGranted: (pod: number, node: number, handle: number) => void;
}

export function testHost(clock: Clock): TestHost {
  const host: TestHost = {
    clock,
    grants: [],
    events: [],
    onGranted: () => {},
    granted(pod, node, handle) {
      host.grants.push({ pod, node, handle });
      host.onGranted(pod, node, handle);
    },
    record(event, cause, node, detail) {
      host.events.push({ event, cause, node, detail });
    },
  };
  return host;
}

/** A clock for modes that must not use one: any use fails the test. */
export const NO_CLOCK: Clock = {
  get now(): number {
    throw new Error('this mode should not read the clock');
  },
  define: () => 0,
  schedule: () => {
    throw new Error('this mode should not schedule events');
  },
  cancel: () => {
    throw new Error('this mode should not cancel events');
  },
};

/** Builds allocator `mode` with the documented defaults overridden by `params` (raw values, parsed here). */
export function build(mode: string, spec: ClusterSpec, opts: { clock?: Clock; params?: Record<string, unknown>; spaces?: RunSpaces } = {}) {
  const entry = findMode(mode);
  if (entry === undefined) throw new Error(`no mode ${mode}`);
  const spaces = opts.spaces ?? new RunSpaces();
  const host = testHost(opts.clock ?? NO_CLOCK);
  // Pool settings are given raw in the spec: parse them as the scenario reader does.
  const cluster: ClusterSpec = { ...spec, pools: spec.pools.map((p) => ({ ...p, params: entry.info.poolParams.parse(p.params ?? {}) })) };
  const alloc: Allocator = entry.create({ host, spaces, cluster, params: entry.info.params.parse(opts.params ?? {}) });
  return { alloc, spaces, host, info: entry.info };
}

export function gaugesOf(a: Allocator): Gauges {
  const g = emptyGauges();
  a.gauges(g);
  return g;
}

export function recountOf(a: Allocator): Gauges {
  const g = emptyGauges();
  a.recount(g);
  return g;
}
