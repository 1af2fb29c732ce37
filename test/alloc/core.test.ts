/**
 * The core every platform shares: a mode is its folder plus one table entry. A small mode of the test's own —
 * its own reserve policy, its own cause, a per-pool setting and another platform — goes through the contract
 * checks and a whole simulate() run without any change to the code outside the test; and `cnisim modes` /
 * parameter validation speak in units.
 */
import { describe, expect, it } from 'vitest';
import { causeName, MAX_PODS, OK } from '../../src/alloc/causes.js';
import { describeMode } from '../../src/alloc/describe.js';
import { formatParam } from '../../src/alloc/info.js';
import { modeInfo, registerMode } from '../../src/alloc/registry.js';
import { refused } from '../../src/alloc/types.js';
import { TINY, TINY_FULL } from './test-modes.js';
import { parseScenario } from '../../src/scenario/index.js';
import { simulate } from '../../src/sim/run.js';
import { build, clusterSpec, gaugesOf, recountOf } from './helpers.js';

describe('a mode is its folder plus one table entry', () => {
  it('registers, runs through the allocator calls with its own reserve policy, cause and pool setting', () => {
    const unregister = registerMode(TINY);
    try {
      expect(modeInfo('tiny')?.platform).toBe('kubernetes');
      // /29 = 8 addresses, 2 + 3 reserved: 3 usable; perNode 1 → a node takes 2 (its own + 1).
      const { alloc, spaces } = build('tiny', clusterSpec({ pools: [{ maxPods: 1, nodeSubnet: '10.9.0.0/29', params: { perNode: 1 } }] }));
      expect(alloc.nodeJoin(0, 0)).toBe(OK);
      expect(alloc.nodeJoin(1, 0)).toBe(TINY_FULL);
      expect(causeName(TINY_FULL)).toBe('tiny-full');
      const h = alloc.podAdd(0, 0);
      expect(h).toBeGreaterThanOrEqual(2); // the reserved head is never handed out
      expect(alloc.address(0, h) >>> 0).toBe(((10 << 24) | (9 << 16)) + h);
      expect(alloc.podAdd(1, 0)).toBe(refused(MAX_PODS));
      expect(recountOf(alloc)).toEqual(gaugesOf(alloc));
      alloc.podRelease(0, 0, h);
      alloc.nodeLeave(0);
      expect(spaces.totalUsed()).toBe(0);
    } finally {
      unregister();
    }
  });

  it('runs a whole scenario of another platform through simulate(), its cause in the events', async () => {
    const unregister = registerMode(TINY);
    try {
      const s = parseScenario(`
platform: kubernetes
duration: 10m
modes: [tiny]
network: {nodeSubnet: 10.9.0.0/28}
nodePools: [{name: a, count: 4, perNode: 3}]
workload: [{at: 0, deploy: {name: w, pool: a, replicas: 12}}]
`, 'tiny.yaml');
      expect(s.modes).toEqual(['tiny']);
      const r = await simulate(s, { check: true });
      const summary = r.summary[0]!;
      // 16 − 5 reserved = 11 addresses; a node takes 1 + 3: two nodes fit, the other two are refused (tiny-full).
      expect(summary.max_nodes).toBe(2);
      expect(summary.max_pods_running).toBe(6);
      expect(r.events.some((e) => e.cause === 'tiny-full' && e.event === 'node-refused')).toBe(true);
    } finally {
      unregister();
    }
  });
});

describe('parameters speak in units', () => {
  it('cnisim modes prints durations with their unit', () => {
    const dyn = modeInfo('dynamic')!;
    expect(describeMode(dyn)).toMatch(/grantLatency=3s/);
    expect(describeMode(dyn)).not.toMatch(/grantLatency=3000/);
    expect(formatParam(dyn.params, 'monitorInterval', 1000)).toBe('1s');
    expect(describeMode(dyn)).toMatch(/\[cns\] https:\/\/github\.com\/Azure\/azure-container-networking/);
  });

  it('a duration far outside its plausible range is a warning that names the unit', () => {
    const s = parseScenario(`
duration: 1h
modes: [dynamic]
network: {podSubnet: 10.225.0.0/20}
parameters: {dynamic: {grantLatency: 3000}}
nodePools: [{name: a, count: 1}]
`, 'units.yaml');
    const w = s.warnings.find((x) => x.path === 'parameters.dynamic.grantLatency');
    expect(w?.message).toMatch(/50m is far above a plausible grantLatency .*a bare number is seconds: for 3000 ms write "3000ms"/);
  });
});
