/**
 * The planner against the worked numbers of docs/model.md, and against the simulator: for generated clusters, a scenario
 * built with the planned prefixes holds the cluster (no refusal, no exhaustion event, every pod running with an
 * address), and each space one bit smaller does not — unless the planner's answer is already the smallest range
 * the space allows (it says so: prefix === smallest).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { validateScenario } from '../../src/scenario/index.js';
import { simulate } from '../../src/sim/run.js';
import { MODE_INFOS, MODE_NAMES, modeInfo } from '../../src/alloc/registry.js';
import { maxPodsRange } from '../../src/alloc/info.js';
import { planModes, planCsv, planTable, type ModePlan } from '../../src/plan/plan.js';
import { planCommand } from '../../src/commands/plan.js';
import type { SpaceName } from '../../src/plan/need.js';

function space(p: ModePlan, s: SpaceName) {
  const x = p.spaces.find((y) => y.space === s);
  if (!x) throw new Error(`${p.mode} has no ${s}`);
  return x;
}

describe('planner: worked numbers of docs/model.md', () => {
  it('azure: 50 nodes + 1 surge at 30 pods → 1,581 addresses → /21; a /24 fits 8 nodes', () => {
    const [a] = planModes({ modes: ['azure'], nodes: 50, surge: 1, maxPods: 30 });
    expect(space(a!, 'node-subnet')).toMatchObject({ needed: 1581, prefix: 21 });
    expect(space(planModes({ modes: ['azure'], nodes: 8, maxPods: 30 })[0]!, 'node-subnet').prefix).toBe(24);
    expect(space(planModes({ modes: ['azure'], nodes: 9, maxPods: 30 })[0]!, 'node-subnet').prefix).toBe(23);
  });

  it('overlay: a /24 node subnet holds 251 nodes; the default /16 pod CIDR holds 256 nodes', () => {
    const at = (nodes: number) => planModes({ modes: ['overlay'], nodes })[0]!;
    expect(space(at(251), 'node-subnet').prefix).toBe(24);
    expect(space(at(252), 'node-subnet').prefix).toBe(23);
    expect(space(at(256), 'pod-cidr').prefix).toBe(16);
    expect(space(at(257), 'pod-cidr').prefix).toBe(15);
    expect(at(5000).blockers).toEqual([]);
    expect(at(5001).blockers[0]).toMatch(/above overlay's cluster limit of 5,000 nodes/);
  });

  it('static-block: max-pods 30/31/32 → 2/2/3 blocks per node, waste 1/0/15 per full node', () => {
    const waste = (maxPods: number) => {
      const p = planModes({ modes: ['static-block'], nodes: 10, maxPods })[0]!;
      const s = space(p, 'pod-subnet');
      return [s.needed / 10 / 16, s.wasted / 10];
    };
    expect(waste(30)).toEqual([2, 1]);
    expect(waste(31)).toEqual([2, 0]);
    expect(waste(32)).toEqual([3, 15]);
  });

  it('dynamic: a node with 25 pods holds 1 + 48 (v1: grow while fewer than 8 free); v2 targets 48 too', () => {
    const v1 = planModes({ modes: ['dynamic'], nodes: 1, pods: 25 })[0]!;
    expect(space(v1, 'pod-subnet').needed).toBe(49);
    const params = { dynamic: { ...(MODE_INFOS.find((m) => m.name === 'dynamic')!.params.parse({ monitor: 'v2' }) as object) } };
    expect(space(planModes({ modes: ['dynamic'], nodes: 1, pods: 25, params })[0]!, 'pod-subnet').needed).toBe(49);
  });

  it('says why a mode cannot: kubenet above 400 nodes, dynamic above the VNet\'s 65,536 addresses, max-pods out of range, too many pods', () => {
    const plans = planModes({ modes: ['kubenet', 'dynamic', 'overlay'], nodes: 401, maxPods: 250 });
    expect(plans[0]!.blockers.join()).toMatch(/401 nodes is above kubenet's limit of 400 nodes/);
    // 401 nodes × (node address + primary + 250) = 101,052 VNet addresses: the VNet limit binds at 260 nodes.
    expect(plans[1]!.blockers.join()).toMatch(/the VNet limit binds: 101,052 addresses count against the VNet's 65,536 private addresses \(401 nodes × 252\); at most 260 nodes fit/);
    expect(plans[2]!.blockers).toEqual([]);
    expect(planModes({ modes: ['overlay'], nodes: 3, maxPods: 251 })[0]!.blockers.join()).toMatch(/outside overlay's range 10–250/);
    expect(planModes({ modes: ['overlay'], nodes: 3, maxPods: 30, pods: 91 })[0]!.blockers.join()).toMatch(/91 pods do not fit on 3 nodes/);
    expect(() => planModes({ modes: ['flannel'], nodes: 3 })).toThrow(/unknown mode "flannel"/);
    expect(() => planModes({ modes: ['overlay'], nodes: 0 })).toThrow(/--nodes/);
  });

  it('the command prints every mode side by side, or CSV', () => {
    const text = planCommand({ mode: 'all', nodes: 50, surge: 1, 'max-pods': 30 });
    // Every mode once, in its block's header line (blocks: the table continues below when it passes 132 columns).
    const table = text.split('\n\ncannot hold')[0]!.split('\n\nhow:')[0]!;
    const headers = table.split('\n\n').map((b) => b.split('\n')[0]!);
    expect(headers.join(' ').trim().split(/\s+/).filter((w) => !w.startsWith('('))).toEqual(MODE_NAMES);
    for (const line of table.split('\n')) expect(line.length).toBeLessThanOrEqual(132);
    expect(text).toMatch(/node subnet: smallest prefix\s+\/26 \(59 usable\)/);
    expect(text).toContain('/21 (2,043 usable)');
    const csv = planCommand({ mode: 'overlay,azure', nodes: 50, surge: 1, 'max-pods': 30, csv: true });
    expect(csv.split('\n')[0]).toBe('mode,space,prefix,size,usable,needed,in_use,wasted,spare,max_pods,nodes,surge,pods,status,reason');
    expect(csv).toContain('azure,node-subnet,/21,2048,2043,1581,1551,30,462,30,50,1,1500,ok,');
    expect(planCsv(planModes({ modes: ['kubenet'], nodes: 500 }))).toMatch(/cannot,500 nodes is above kubenet/);
    expect(planTable(planModes({ modes: ['kubenet'], nodes: 500 }))).toMatch(/kubenet \(cannot\)/);
    expect(() => planCommand({})).toThrow(/--nodes: required/);
    expect(() => planCommand({ scenario: 'scenarios/aks-modes.yaml', mode: 'azure' })).toThrow(/--mode: a scenario file names its own modes/);
  });

  it('plan <scenario> compares the file\'s ranges with the smallest that hold each mode\'s peak', () => {
    const text = planCommand({ scenario: 'scenarios/kubenet-400.yaml' });
    // The peak: 60,000 pods at 110 per node → 546 nodes (autoscaler 50–600) → 546 /24s; every node full: 600 /24s.
    // Both fit the /14 pod CIDR (1,024 /24s); both are above the route-table limit.
    expect(text).toMatch(/kubenet\s+default\/user\s+110\s+546 \+ 0\s+60,000\s+600 \+ 0\s+66,000/);
    expect(text).toMatch(/kubenet\s+default\s+pod CIDR\s+10\.244\.0\.0\/14\s+262,144\s+139,776\s+\/14\s+holds\s+153,600\s+\/14\s+holds/);
    expect(text).toMatch(/cluster default: 546 nodes is above kubenet's limit of 400 nodes/);
    expect(text).toMatch(/cluster default: 600 nodes is above kubenet's limit of 400 nodes/);
  });
});

// --- planner versus simulator -----------------------------------------------------------------------------

const BASE: Readonly<Record<SpaceName, [number, number, number, number]>> = {
  'node-subnet': [10, 240, 0, 0],
  'pod-subnet': [10, 160, 0, 0],
  'pod-cidr': [10, 96, 0, 0],
};
const KEY: Readonly<Record<SpaceName, string>> = { 'node-subnet': 'nodeSubnet', 'pod-subnet': 'podSubnet', 'pod-cidr': 'podCidr' };

function cidr(s: SpaceName, prefix: number): string {
  return `${BASE[s].join('.')}/${prefix}`;
}

/** A scenario of `nodes` fixed nodes and `pods` pods deployed at t = 0, with the given prefix per space. */
function scenarioFor(mode: string, nodes: number, maxPods: number, pods: number, prefixes: Partial<Record<SpaceName, number>>) {
  const network: Record<string, string> = { serviceCidr: '10.0.0.0/16', dnsServiceIp: '10.0.0.10' };
  for (const [s, p] of Object.entries(prefixes) as [SpaceName, number][]) network[KEY[s]] = cidr(s, p);
  return validateScenario({
    name: 'plan-check', seed: 1, duration: '5m', sampleEvery: '1m', modes: [mode], network,
    nodePools: [{ name: 'user', count: nodes, maxPods }],
    workload: pods > 0 ? [{ at: 0, deploy: { name: 'app', pool: 'user', replicas: pods } }] : [],
  }, 'plan-check.yaml');
}

/** Holds: every node joined, every pod runs with an address at the end, and nothing was refused or exhausted. */
async function holds(mode: string, nodes: number, maxPods: number, pods: number, prefixes: Partial<Record<SpaceName, number>>): Promise<{ ok: boolean; why: string }> {
  let scenario;
  try {
    scenario = scenarioFor(mode, nodes, maxPods, pods, prefixes);
  } catch (err) {
    return { ok: false, why: `invalid: ${(err as Error).message}` };
  }
  const r = await simulate(scenario);
  const last = r.timeseries[r.timeseries.length - 1]!;
  const bad = r.events.filter((e) => e.cause !== '');
  const ok = bad.length === 0 && last.nodes === nodes && last.pods_running === pods && last.pods_waiting_ip === 0 && last.pods_unschedulable === 0;
  return { ok, why: `${bad.slice(0, 2).map((e) => `${e.event}/${e.cause}`).join(' ')} nodes ${last.nodes} running ${last.pods_running}/${pods} waiting ${last.pods_waiting_ip}` };
}

describe('planner versus simulator', () => {
  it('the planned prefixes hold the cluster; one bit smaller does not (or is below the smallest allowed)', async () => {
    const arb = fc
      .record({
        mode: fc.constantFrom(...MODE_INFOS.map((m) => m.name)),
        nodes: fc.integer({ min: 1, max: 6 }),
        maxPods: fc.oneof(fc.integer({ min: 10, max: 40 }), fc.constant(250)),
        fill: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
      });
    const seen = { planned: 0, smaller: 0, modes: new Set<string>() };
    await fc.assert(
      fc.asyncProperty(arb, async ({ mode, nodes, maxPods, fill }) => {
        const pods = fill === undefined ? undefined : Math.floor(fill * nodes * maxPods);
        const [plan] = planModes({ modes: [mode], nodes, maxPods, pods });
        if (plan!.blockers.length > 0) return; // the planner says why not
        // Pods that take no address (EKS: aws-node and kube-proxy, two of every node's max-pods) are not deployed.
        const host = maxPodsRange(modeInfo(mode)!).hostNetworkPods ?? 0;
        const total = Math.max(0, plan!.pods - nodes * host);
        const prefixes: Partial<Record<SpaceName, number>> = {};
        for (const s of plan!.spaces) prefixes[s.space] = s.prefix!;
        const planned = await holds(mode, nodes, maxPods, total, prefixes);
        expect(planned.ok, `${mode} ${nodes}×${maxPods} pods ${total} at ${JSON.stringify(prefixes)}: ${planned.why}`).toBe(true);
        seen.planned++;
        seen.modes.add(mode);
        for (const s of plan!.spaces) {
          if (s.prefix! >= s.smallest) continue; // already the smallest range the space allows
          const smaller = await holds(mode, nodes, maxPods, total, { ...prefixes, [s.space]: s.prefix! + 1 });
          expect(smaller.ok, `${mode} ${nodes}×${maxPods} pods ${total}: ${s.space} /${s.prefix! + 1} should not hold (${smaller.why})`).toBe(false);
          seen.smaller++;
        }
      }),
      { numRuns: 60, seed: 20240601 }, // enough draws to plan every one of the modes
    );
    // The property must have exercised both halves for every mode, not skipped its way through.
    expect(seen.modes.size).toBe(MODE_INFOS.length);
    expect(seen.planned).toBeGreaterThanOrEqual(30);
    expect(seen.smaller).toBeGreaterThanOrEqual(30);
  });
});
