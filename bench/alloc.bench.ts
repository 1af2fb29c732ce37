/**
 * Suite `alloc`: every mode filled to its limit or to 1M pods, then every pod released; ops = pod allocations +
 * releases (nodes join in the untimed setup). Baseline: a naive allocator over the same node layout, a
 * `Set<number>` of taken addresses with a per-node next-free scan, doing the same allocations and releases.
 * Each case checks its result once before timing: every pod got an address, no address twice, gauges and
 * recount agree, and after the release and the nodes' leaving every pool of the run is empty.
 */
import { Engine } from '../src/engine/index.js';
import { findMode } from '../src/alloc/registry.js';
import { RunSpaces } from '../src/alloc/spaces.js';
import { emptyGauges, type Allocator, type AllocatorHost, type ClusterSpec } from '../src/alloc/types.js';
import { parseCidr4 } from '../src/net/index.js';
import { expectEq, type BenchCase } from './harness.js';

interface Workload {
  name: string;
  mode: string;
  params: Record<string, unknown>;
  nodes: number;
  podsPerNode: number;
  nodeSubnet: string;
  podSubnet: string | null;
  podCidr: string;
  /** Dynamic with batches of 16: pods wait for their batch and the engine runs the monitor until all are served. */
  drive: boolean;
}

const WORKLOADS: Workload[] = [
  { name: 'static-block 4,000 × 250 on a /12', mode: 'static-block', params: {}, nodes: 4000, podsPerNode: 250, nodeSubnet: '10.16.0.0/16', podSubnet: '10.0.0.0/12', podCidr: '10.244.0.0/16', drive: false },
  { name: 'overlay 5,000 × 200 on a /11', mode: 'overlay', params: {}, nodes: 5000, podsPerNode: 200, nodeSubnet: '10.32.0.0/16', podSubnet: null, podCidr: '10.0.0.0/11', drive: false },
  { name: 'azure 4,000 × 250 on a /12 node subnet', mode: 'azure', params: {}, nodes: 4000, podsPerNode: 250, nodeSubnet: '10.0.0.0/12', podSubnet: null, podCidr: '10.244.0.0/16', drive: false },
  { name: 'kubenet 4,000 × 250 (node limit lifted)', mode: 'kubenet', params: { nodeLimit: 4000 }, nodes: 4000, podsPerNode: 250, nodeSubnet: '10.16.0.0/16', podSubnet: null, podCidr: '10.0.0.0/12', drive: false },
  {
    name: 'dynamic 4,000 × 250 (batch 256: no waits)', mode: 'dynamic',
    params: { batchSize: 256, exhaustedAbove: 1, recoveredBelow: 0.99 },
    nodes: 4000, podsPerNode: 250, nodeSubnet: '10.16.0.0/16', podSubnet: '10.0.0.0/12', podCidr: '10.244.0.0/16', drive: false,
  },
  {
    name: 'dynamic v1 4,000 × 250 (batch 16, grants via the engine)', mode: 'dynamic',
    params: { exhaustedAbove: 1, recoveredBelow: 0.99 },
    nodes: 4000, podsPerNode: 250, nodeSubnet: '10.16.0.0/16', podSubnet: '10.0.0.0/12', podCidr: '10.244.0.0/16', drive: true,
  },
  // Amazon VPC CNI on m5.large nodes (the default instance type), a /16 node subnet (AWS's largest): ENIs and
  // prefixes are attached by ipamd's 5 s loop, so pods beyond the first ENI / prefix wait and the engine runs it.
  {
    name: 'aws-vpc-cni 2,000 m5.large × 27 on a /16 (ENIs via the engine)', mode: 'aws-vpc-cni', params: {},
    nodes: 2000, podsPerNode: 27, nodeSubnet: '10.0.0.0/16', podSubnet: null, podCidr: '10.244.0.0/16', drive: true,
  },
  {
    name: 'aws-vpc-cni-prefix 500 m5.large × 108 on a /16 (prefixes via the engine)', mode: 'aws-vpc-cni-prefix', params: {},
    nodes: 500, podsPerNode: 108, nodeSubnet: '10.0.0.0/16', podSubnet: null, podCidr: '10.244.0.0/16', drive: true,
  },
  { name: 'gke 4,000 × 110 (a /24 each) on a /12 pod range', mode: 'gke', params: {}, nodes: 4000, podsPerNode: 110, nodeSubnet: '10.16.0.0/16', podSubnet: null, podCidr: '10.32.0.0/12', drive: false },
  { name: 'kubernetes 4,000 × 250 (/24 node ranges) on a /12 cluster CIDR', mode: 'kubernetes', params: {}, nodes: 4000, podsPerNode: 250, nodeSubnet: '10.16.0.0/16', podSubnet: null, podCidr: '10.32.0.0/12', drive: false },
  // 250 pods + the tunnel address: 4 /26 blocks per node, claimed as the node fills (16,000 of the /12's 16,384).
  { name: 'calico 4,000 × 250 on a /12 (/26 blocks)', mode: 'calico', params: {}, nodes: 4000, podsPerNode: 250, nodeSubnet: '10.16.0.0/16', podSubnet: null, podCidr: '10.0.0.0/12', drive: false },
  { name: 'cilium-cluster-pool 4,000 × 250 on a /12 (/24 ranges)', mode: 'cilium-cluster-pool', params: {}, nodes: 4000, podsPerNode: 250, nodeSubnet: '10.16.0.0/16', podSubnet: null, podCidr: '10.0.0.0/12', drive: false },
];

const MAX_PODS = 1_000_000;
const handles = new Int32Array(MAX_PODS);

interface Run {
  alloc: Allocator;
  spaces: RunSpaces;
  engine: Engine;
  granted: { n: number };
}

function build(w: Workload): Run {
  const entry = findMode(w.mode);
  if (entry === undefined) throw new Error(`no mode ${w.mode}`);
  const spec: ClusterSpec = {
    name: 'bench',
    podCidrs: [parseCidr4(w.podCidr)],
    podCidr: parseCidr4(w.podCidr),
    podCidr6: null,
    serviceCidr: parseCidr4('10.0.0.0/16'),
    networkKey: 'bench',
    networkIpLimit: 1 << 30,
    pools: [{ name: 'p', maxPods: w.podsPerNode, nodeSubnets: [parseCidr4(w.nodeSubnet)], podSubnet: w.podSubnet === null ? null : parseCidr4(w.podSubnet), podCidr: null, params: entry.info.poolParams.parse({}) }],
  };
  const engine = new Engine({ initialCapacity: 16_384 });
  const spaces = new RunSpaces();
  const granted = { n: 0 };
  const host: AllocatorHost = {
    clock: engine,
    granted: (pod, _node, handle) => {
      handles[pod] = handle;
      granted.n++;
    },
    record: (event, _cause, _node, detail) => {
      throw new Error(`bench ${w.name}: unexpected event ${event}: ${detail}`);
    },
  };
  const alloc = entry.create({ host, spaces, cluster: spec, params: entry.info.params.parse(w.params) });
  for (let n = 0; n < w.nodes; n++) {
    const r = alloc.nodeJoin(n, 0);
    if (r !== 0) throw new Error(`bench ${w.name}: node ${n} refused with cause ${r}`);
  }
  return { alloc, spaces, engine, granted };
}

/** Fills every node, then releases every pod: the timed work. Returns pods that got an address at once. */
function fillAndRelease(w: Workload, r: Run): number {
  const a = r.alloc;
  const per = w.podsPerNode;
  let immediate = 0;
  let pod = 0;
  for (let n = 0; n < w.nodes; n++) {
    for (let i = 0; i < per; i++, pod++) {
      const h = a.podAdd(pod, n);
      handles[pod] = h;
      if (h >= 0) immediate++;
    }
  }
  if (w.drive) {
    const total = w.nodes * per;
    while (immediate + r.granted.n < total) r.engine.run(r.engine.now + 1000);
  }
  pod = 0;
  for (let n = 0; n < w.nodes; n++) {
    for (let i = 0; i < per; i++, pod++) a.podRelease(pod, n, handles[pod]!);
  }
  return immediate;
}

function check(w: Workload): void {
  const r = build(w);
  const total = w.nodes * w.podsPerNode;
  const a = r.alloc;
  let pod = 0;
  let immediate = 0;
  for (let n = 0; n < w.nodes; n++) {
    for (let i = 0; i < w.podsPerNode; i++, pod++) {
      handles[pod] = a.podAdd(pod, n);
      if (handles[pod]! >= 0) immediate++;
      else if (!w.drive) throw new Error(`bench ${w.name}: pod ${pod} on node ${n} got ${handles[pod]}`);
    }
  }
  if (w.drive) while (immediate + r.granted.n < total) r.engine.run(r.engine.now + 1000);
  expectEq(`${w.name}: pods with an address`, immediate + r.granted.n, total);
  // Handles are each mode's own: compare the addresses they stand for.
  const seen = new Set<number>();
  pod = 0;
  for (let n = 0; n < w.nodes; n++) {
    for (let i = 0; i < w.podsPerNode; i++, pod++) {
      const h = handles[pod]!;
      const addr = h < 0 ? -1 : a.address(n, h);
      if (h < 0 || seen.has(addr)) throw new Error(`bench ${w.name}: pod ${pod} holds ${h}, invalid or held twice`);
      seen.add(addr);
    }
  }
  const g = emptyGauges();
  const c = emptyGauges();
  a.gauges(g);
  a.recount(c);
  expectEq(`${w.name}: pods used`, g.podIpsUsed, total);
  expectEq(`${w.name}: gauges = recount`, JSON.stringify(g), JSON.stringify(c));
  pod = 0;
  for (let n = 0; n < w.nodes; n++) for (let i = 0; i < w.podsPerNode; i++, pod++) a.podRelease(pod, n, handles[pod]!);
  a.gauges(g);
  expectEq(`${w.name}: pods used after release`, g.podIpsUsed, 0);
  for (let n = 0; n < w.nodes; n++) a.nodeLeave(n);
  expectEq(`${w.name}: addresses held after every node left`, r.spaces.totalUsed(), 0);
  // The timed function must reach the same state.
  const r2 = build(w);
  fillAndRelease(w, r2);
  r2.alloc.gauges(g);
  expectEq(`${w.name}: timed run leaves no pod`, g.podIpsUsed + g.podsWaitingIp, 0);
}

/** The naive baseline: one Set of taken addresses, each node a range of `stride` addresses scanned next-fit. */
class NaiveAllocator {
  private readonly taken = new Set<number>();
  private readonly cursor: Int32Array;
  constructor(nodes: number, private readonly stride: number) {
    this.cursor = new Int32Array(nodes);
  }
  add(node: number): number {
    const base = node * this.stride;
    let off = this.cursor[node]!;
    for (let tries = 0; tries < this.stride; tries++) {
      const a = base + off;
      off = off + 1 === this.stride ? 0 : off + 1;
      if (!this.taken.has(a)) {
        this.taken.add(a);
        this.cursor[node] = off;
        return a;
      }
    }
    return -1;
  }
  release(a: number): void {
    this.taken.delete(a);
  }
  get size(): number {
    return this.taken.size;
  }
}

function naiveRun(w: Workload, naive: NaiveAllocator): void {
  let pod = 0;
  for (let n = 0; n < w.nodes; n++) for (let i = 0; i < w.podsPerNode; i++, pod++) handles[pod] = naive.add(n);
  pod = 0;
  for (let n = 0; n < w.nodes; n++) for (let i = 0; i < w.podsPerNode; i++, pod++) naive.release(handles[pod]!);
}

export function cases(): BenchCase[] {
  return WORKLOADS.map((w) => {
    let run: Run | null = null;
    let naive: NaiveAllocator | null = null;
    const stride = 256;
    return {
      suite: 'alloc',
      name: w.name,
      ops: 2 * w.nodes * w.podsPerNode,
      timeMs: 400,
      check: () => {
        check(w);
        const n = new NaiveAllocator(w.nodes, stride);
        naiveRun(w, n);
        expectEq(`${w.name}: baseline leaves nothing`, n.size, 0);
      },
      subject: {
        setup: () => {
          run = build(w);
        },
        fn: () => {
          fillAndRelease(w, run!);
        },
      },
      baseline: {
        setup: () => {
          naive = new NaiveAllocator(w.nodes, stride);
        },
        fn: () => {
          naiveRun(w, naive!);
        },
      },
    };
  });
}
