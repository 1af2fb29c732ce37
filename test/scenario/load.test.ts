/** Loading scenarios: the issue-4 example with its defaults, JSON, clusters, dual stack, lifecycle events, warnings, file errors. */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { describe, expect, it } from 'vitest';
import { CnisimError } from '../../src/errors.js';
import { MODE_INFOS, platformModes } from '../../src/alloc/registry.js';
import { parseIp4 } from '../../src/net/index.js';
import { clusterModes, effectiveMode, loadScenario, parseScenario, validateScenario, type Scenario } from '../../src/scenario/index.js';
import { editDistance, suggest } from '../../src/scenario/problems.js';

const FIX = join(import.meta.dirname, '..', 'fixtures', 'scenario');
const EXAMPLE = join(FIX, 'issue4-example.yaml');
const tmp = mkdtempSync(join(tmpdir(), 'cnisim-scenario-'));

function refused(fn: () => unknown): CnisimError {
  try {
    fn();
  } catch (err) {
    if (err instanceof CnisimError) return err;
    throw err;
  }
  throw new Error('accepted');
}

function parse(text: string, file = 'test.yaml'): Scenario {
  return parseScenario(text, file);
}

describe('the issue-4 example', () => {
  const s = loadScenario(EXAMPLE);
  const c = s.clusters[0]!;

  it('loads with its values', () => {
    expect(s.name).toBe('aks-modes');
    expect(s.seed).toBe(42);
    expect(s.durationMs).toBe(6 * 3_600_000);
    expect(s.sampleEveryMs).toBe(60_000);
    expect(s.modes).toEqual(['overlay', 'dynamic', 'static-block', 'kubenet', 'azure']);
    expect(s.clusters).toHaveLength(1);
    expect(c.name).toBe('default');
    expect(c.mode).toBeNull();
    const n = c.network;
    expect(n.vnetCidr?.text).toBe('10.0.0.0/8');
    expect(n.nodeSubnet.text).toBe('10.240.0.0/16');
    expect(n.podSubnet?.text).toBe('10.241.0.0/16');
    expect(n.podCidr.text).toBe('10.244.0.0/16');
    expect(n.serviceCidr.text).toBe('10.0.0.0/16');
    expect(n.dnsServiceIp).toBe(parseIp4('10.0.0.10'));
    expect(n.peeredCidrs.map((x) => x.text)).toEqual(['172.16.0.0/12']);
    expect(n.ipFamilies).toEqual(['ipv4']);
    expect(n.podCidr6).toBeNull();
    expect(n.serviceCidr6).toBeNull();
  });

  it('fills the defaults', () => {
    expect(s.description).toBe('');
    expect(s.placement).toBe('spread');
    const pool = c.pools[0]!;
    expect(pool).toMatchObject({ name: 'user', count: 10, maxPods: 30, bootDelayMs: 0 });
    expect(pool.nodeSubnet.text).toBe('10.240.0.0/16');
    expect(pool.podSubnet?.text).toBe('10.241.0.0/16');
    expect(pool.autoscaler).toEqual({ minCount: 10, maxCount: 200, provisionDelayMs: 180_000, scaleDownDelayMs: 600_000 });
    const dyn = s.parameters['dynamic'] as Record<string, unknown>;
    expect(dyn['batchSize']).toBe(16);
    expect(dyn['grantLatency']).toBe(5000);
    expect(dyn['monitor']).toBe('v1');
    // Every mode has its parameters, defaulted by its own schema.
    for (const info of MODE_INFOS) {
      if (info.name === 'dynamic') continue;
      expect(s.parameters[info.name]).toEqual(info.params.parse({}));
    }
    expect(dyn).toEqual(MODE_INFOS.find((i) => i.name === 'dynamic')!.params.parse({ batchSize: 16, grantLatency: '5s', monitor: 'v1' }));
  });

  it('types the workload', () => {
    expect(c.workload).toEqual([
      { type: 'deploy', atMs: 0, name: 'web', pool: 'user', replicas: 100 },
      { type: 'scale', atMs: 1_800_000, name: 'web', replicas: 2000 },
      { type: 'churn', atMs: 3_600_000, toMs: 18_000_000, pool: 'user', ratePerSecond: 2, lifetimeMs: 1_200_000 },
      { type: 'nodes', atMs: 7_200_000, pool: 'user', count: 50 },
    ]);
  });

  it('warns that the pod CIDR lies inside the VNet, and nothing else', () => {
    expect(s.warnings).toEqual([{ path: 'network.podCidr', message: expect.stringContaining('overlaps the VNet 10.0.0.0/8') }]);
  });

  it('reads the same from JSON', () => {
    const json = join(tmp, 'example.json');
    writeFileSync(json, JSON.stringify(YAML.parse(readFileSync(EXAMPLE, 'utf8')), null, 2));
    const j = loadScenario(json);
    expect({ ...j, file: '' }).toEqual({ ...s, file: '' });
    expect({ ...parseScenario(readFileSync(json, 'utf8'), 'x.json'), file: '' }).toEqual({ ...s, file: '' });
  });
});

describe('defaults', () => {
  it('fills every default of a minimal file, naming the scenario after the file', () => {
    const s = parse('duration: 90\nnetwork: {podSubnet: 10.241.0.0/16}\nnodePools: [{name: user}]\n', '/some/dir/My Big_Scenario.v2.yaml');
    expect(s.name).toBe('my-big_scenario.v2');
    expect(s.seed).toBe(1);
    expect(s.durationMs).toBe(90_000);
    expect(s.sampleEveryMs).toBe(60_000);
    // The default platform (azure) runs its own modes.
    expect(s.modes).toEqual(platformModes('azure'));
    const n = s.clusters[0]!.network;
    expect(n.nodeSubnet.text).toBe('10.224.0.0/16');
    expect(n.podCidr.text).toBe('10.244.0.0/16');
    expect(n.serviceCidr.text).toBe('10.0.0.0/16');
    expect(n.dnsServiceIp).toBe(parseIp4('10.0.0.10'));
    expect(n.vnetCidr).toBeNull();
    expect(n.peeredCidrs).toEqual([]);
    const pool = s.clusters[0]!.pools[0]!;
    expect(pool).toMatchObject({ count: 3, maxPods: null, autoscaler: null, bootDelayMs: 0 });
    expect(s.clusters[0]!.workload).toEqual([]);
    expect(s.warnings).toEqual([]);
  });

  it('takes the DNS default from a given service CIDR, and count from the autoscaler minimum', () => {
    const s = parse('duration: 1h\nmodes: [azure]\nnetwork: {serviceCidr: 172.20.0.0/16}\nnodePools: [{name: user, nodeCount: 4}, {name: b, autoscaler: {minCount: 2, maxCount: 9, provisionDelay: 1m}}]\n');
    expect(s.clusters[0]!.network.dnsServiceIp).toBe(parseIp4('172.20.0.10'));
    expect(s.clusters[0]!.pools[0]!.count).toBe(4);
    expect(s.clusters[0]!.pools[1]!.count).toBe(2);
    expect(s.clusters[0]!.pools[1]!.autoscaler?.provisionDelayMs).toBe(60_000);
  });

  it('defaults dual-stack CIDRs and honours the given order', () => {
    const s = parse('duration: 1h\nmodes: [overlay]\nnetwork: {ipFamilies: [ipv4, ipv6]}\nnodePools: [{name: user}]\n');
    const n = s.clusters[0]!.network;
    expect(n.ipFamilies).toEqual(['ipv4', 'ipv6']);
    expect([n.podCidr.text, n.podCidr6?.text]).toEqual(['10.244.0.0/16', 'fd12:3456:789a::/64']);
    expect([n.serviceCidr.text, n.serviceCidr6?.text]).toEqual(['10.0.0.0/16', 'fd12:3456:789a:1::/108']);
    const t = parse("duration: 1h\nmodes: [overlay]\nnetwork:\n  ipFamilies: [ipv4, ipv6]\n  podCidrs: [192.168.0.0/16, 'fd00:1::/64']\n  serviceCidrs: [10.96.0.0/16, 'fd00:2::/112']\nnodePools: [{name: user}]\n");
    const m = t.clusters[0]!.network;
    expect([m.podCidr.text, m.podCidr6?.text, m.serviceCidr.text, m.serviceCidr6?.text]).toEqual(['192.168.0.0/16', 'fd00:1::/64', '10.96.0.0/16', 'fd00:2::/112']);
  });
});

describe('workload', () => {
  it('sorts by time, keeping file order among equal times', () => {
    const s = parse(`duration: 2h
modes: [overlay]
nodePools: [{name: user}]
workload:
  - {at: 1h, nodes: {pool: user, count: 5}}
  - {at: 0, deploy: {name: a, pool: user, replicas: 1}}
  - {at: 1h, scale: {name: a, replicas: 2}}
  - {at: 0, deploy: {name: b, pool: user, replicas: 1}}
  - {at: 1h, delete: {name: b}}
`);
    expect(s.clusters[0]!.workload.map((e) => `${e.type}@${e.atMs}`)).toEqual(['deploy@0', 'deploy@0', 'nodes@3600000', 'scale@3600000', 'delete@3600000']);
    expect(s.clusters[0]!.workload.slice(0, 2).map((e) => (e as { name: string }).name)).toEqual(['a', 'b']);
  });

  it('types lifecycle events with their defaults', () => {
    const s = parse(`duration: 6h
modes: [kubenet, azure]
nodePools: [{name: user, count: 3}]
workload:
  - {at: 0, daemonset: {name: agent}}
  - {at: 1m, daemonset: {name: logs, pool: user}}
  - {at: 10m, upgrade: {pool: user}}
  - {at: 20m, upgrade: {pool: user, maxSurge: 33%, drain: 1m, boot: 90}}
  - {at: 30m, addPool: {name: extra, count: 2, maxPods: 50, nodeSubnet: 10.225.0.0/24, bootDelay: 2m}}
  - {at: 40m, removePool: {pool: extra}}
  - {at: 1h, migrate: {to: overlay, podCidr: 192.168.0.0/16}}
  - {at: 2h, delete: {name: agent}}
`);
    const w = s.clusters[0]!.workload;
    expect(w[0]).toEqual({ type: 'daemonset', atMs: 0, name: 'agent', pool: null });
    expect(w[1]).toEqual({ type: 'daemonset', atMs: 60_000, name: 'logs', pool: 'user' });
    expect(w[2]).toEqual({ type: 'upgrade', atMs: 600_000, pool: 'user', maxSurge: 1, drainMs: 30_000, bootMs: 180_000 });
    expect(w[3]).toEqual({ type: 'upgrade', atMs: 1_200_000, pool: 'user', maxSurge: '33%', drainMs: 60_000, bootMs: 90_000 });
    const add = w[4]!;
    expect(add.type).toBe('addPool');
    if (add.type === 'addPool') {
      expect(add.pool).toMatchObject({ name: 'extra', count: 2, maxPods: 50, bootDelayMs: 120_000, autoscaler: null, podSubnet: null });
      expect(add.pool.nodeSubnet.text).toBe('10.225.0.0/24');
    }
    expect(w[5]).toEqual({ type: 'removePool', atMs: 2_400_000, pool: 'extra' });
    expect(w[6]!.type === 'migrate' && w[6]!.podCidr?.text).toBe('192.168.0.0/16');
    expect(s.warnings).toEqual([]);
  });

  it('expands an overlay pod CIDR step by step, and after a kubenet migration', () => {
    const s = parse(`duration: 6h
modes: [overlay, kubenet]
nodePools: [{name: user}]
workload:
  - {at: 1h, migrate: {to: overlay}}
  - {at: 2h, expandPodCidr: {podCidr: 10.244.0.0/15}}
  - {at: 3h, expandPodCidr: {podCidr: 10.240.0.0/13}}
`);
    expect(s.clusters[0]!.workload.map((e) => (e.type === 'expandPodCidr' ? e.podCidr.text : e.type))).toEqual(['migrate', '10.244.0.0/15', '10.240.0.0/13']);
    expect(s.warnings).toEqual([{ path: 'workload[0].migrate', message: expect.stringContaining('ignored in the overlay run') }]);
  });
});

describe('clusters', () => {
  const s = parse(`duration: 1h
modes: [dynamic, static-block]
network: {nodeSubnet: 10.240.0.0/16, podSubnet: 10.241.0.0/16}
clusters:
  - name: a
    nodePools: [{name: user, count: 2}]
    workload: [{at: 0, deploy: {name: web, pool: user, replicas: 5}}]
  - name: b
    mode: static-block
    network: {nodeSubnet: 10.242.0.0/24, podSubnet: 10.243.0.0/16}
    nodePools: [{name: user, count: 1}]
`);
  it('shares the top-level network and overrides it per cluster', () => {
    expect(s.clusters.map((c) => c.name)).toEqual(['a', 'b']);
    expect(s.clusters[0]!.network.podSubnet?.text).toBe('10.241.0.0/16');
    expect(s.clusters[1]!.network.podSubnet?.text).toBe('10.243.0.0/16');
    expect(s.clusters[1]!.pools[0]!.nodeSubnet.text).toBe('10.242.0.0/24');
    expect(s.clusters[0]!.workload).toHaveLength(1);
    expect(s.clusters[1]!.workload).toHaveLength(0);
  });
  it('pins a cluster to its mode', () => {
    expect(s.clusters[1]!.mode).toBe('static-block');
    expect(clusterModes(s, s.clusters[0]!)).toEqual(['dynamic', 'static-block']);
    expect(clusterModes(s, s.clusters[1]!)).toEqual(['static-block']);
    expect(effectiveMode(s.clusters[0]!, 'dynamic')).toBe('dynamic');
    expect(effectiveMode(s.clusters[1]!, 'dynamic')).toBe('static-block');
  });
  it('refuses two clusters of one VNet with different vnetIpLimit; the same limit, or other VNets, pass', () => {
    const two = (a: string, b: string, vnetB = '10.0.0.0/8') => `duration: 1h
modes: [azure]
clusters:
  - name: a
    network: {vnetCidr: 10.0.0.0/8, nodeSubnet: 10.1.0.0/16${a}}
    nodePools: [{name: p, count: 2}]
  - name: b
    network: {vnetCidr: ${vnetB}, nodeSubnet: ${vnetB === '10.0.0.0/8' ? '10.2.0.0/16' : '172.16.0.0/16'}${b}}
    nodePools: [{name: p, count: 2}]
`;
    const stated = refused(() => parse(two(', vnetIpLimit: 68000', ', vnetIpLimit: 30000')));
    expect(stated.message).toContain('clusters[1].network.vnetIpLimit: 30,000, but cluster "a" in the same VNet (10.0.0.0/8) counts against 68,000 (clusters[0].network.vnetIpLimit)');
    // One stated, the other defaulted: the stated one is named, the other is the default.
    const defaulted = refused(() => parse(two(', vnetIpLimit: 68000', '')));
    expect(defaulted.message).toContain('clusters[0].network.vnetIpLimit: 68,000, but cluster "b" in the same VNet (10.0.0.0/8) counts against 65,536 (the default)');
    expect(parse(two(', vnetIpLimit: 68000', ', vnetIpLimit: 68000')).clusters.map((c) => c.network.vnetIpLimit)).toEqual([68000, 68000]);
    expect(parse(two(', vnetIpLimit: 68000', '', '172.16.0.0/12')).clusters.map((c) => c.network.vnetIpLimit)).toEqual([68000, 65536]);
  });
  it('lets two clusters share one pod subnet in the same mode', () => {
    const t = parse(`duration: 1h
modes: [dynamic]
network: {podSubnet: 10.241.0.0/16}
clusters:
  - {name: a, nodePools: [{name: user}]}
  - {name: b, nodePools: [{name: user}]}
`);
    expect(t.clusters).toHaveLength(2);
  });
});

describe('warnings', () => {
  it('warns when the autoscalers cannot fit the pod CIDR (overlay/kubenet only)', () => {
    const text = (modes: string) => `duration: 1h\nmodes: [${modes}]\nnetwork: {podSubnet: 10.241.0.0/16}\nnodePools:\n  - {name: a, count: 3, autoscaler: {minCount: 1, maxCount: 200}}\n  - {name: b, count: 3, autoscaler: {minCount: 1, maxCount: 100}}\n`;
    const s = parse(text('overlay'));
    expect(s.warnings).toHaveLength(1);
    expect(s.warnings[0]!.path).toBe('network.podCidr');
    expect(s.warnings[0]!.message).toContain('300 nodes');
    expect(s.warnings[0]!.message).toContain('76,800');
    expect(parse(text('dynamic, azure')).warnings).toEqual([]);
    // 256 nodes fit a /16 exactly: no warning.
    expect(parse(text('kubenet').replace('maxCount: 100', 'maxCount: 56')).warnings).toEqual([]);
  });

  it('warns about events after the end, unused parameters and ignored migrations', () => {
    const s = parse(`duration: 1h
modes: [azure, overlay]
parameters: {kubenet: {nodeLimit: 100}}
nodePools: [{name: user}]
workload:
  - {at: 2h, nodes: {pool: user, count: 5}}
  - {at: 10m, migrate: {to: overlay, podCidr: 192.168.0.0/16}}
`);
    const paths = s.warnings.map((w) => w.path).sort();
    expect(paths).toEqual(['parameters.kubenet', 'workload[0].at', 'workload[1].migrate']);
  });

  it('warns when a nodes event leaves the autoscaler range', () => {
    const text = (n: number) => `duration: 1h\nmodes: [azure]\nnodePools: [{name: user, autoscaler: {minCount: 2, maxCount: 8}}]\nworkload: [{at: 5m, nodes: {pool: user, count: ${n}}}]\n`;
    expect(parse(text(9)).warnings.map((w) => w.path)).toEqual(['workload[0].nodes.count']);
    expect(parse(text(8)).warnings).toEqual([]);
  });
});

describe('one mistake, one problem', () => {
  const cases: [string, string][] = [
    ['a pod subnet overlapping the node subnet', 'duration: 1h\nmodes: [dynamic]\nnetwork: {podSubnet: 10.224.0.0/20}\nnodePools: [{name: user}]\n'],
    ['a malformed pod CIDR used by two rules', 'duration: 1h\nmodes: [overlay]\nnetwork: {podCidr: 10.244.0.1/16, vnetCidr: 10.0.0.0/8}\nnodePools: [{name: user}]\n'],
    ['a malformed top-level network value shared by two clusters', 'duration: 1h\nmodes: [azure]\nnetwork: {serviceCidr: nope}\nclusters: [{name: a, nodePools: [{name: u}]}, {name: b, nodePools: [{name: u}]}]\n'],
    ['a bad autoscaler', 'duration: 1h\nmodes: [azure]\nnodePools: [{name: user, count: 5, autoscaler: {minCount: 9, maxCount: 2}}]\n'],
  ];
  for (const [what, text] of cases) {
    it(what, () => {
      expect(refused(() => parse(text)).problems).toHaveLength(1);
    });
  }
});

describe('files', () => {
  const write = (name: string, content: string | Uint8Array) => {
    const path = join(tmp, name);
    writeFileSync(path, content);
    return path;
  };
  const cases: [string, () => string, string][] = [
    ['a missing file', () => join(tmp, 'nope.yaml'), 'no such file'],
    ['a directory', () => {
      const d = join(tmp, 'dir.yaml');
      mkdirSync(d, { recursive: true });
      return d;
    }, 'is a directory'],
    ['an empty file', () => write('empty.yaml', ''), 'is empty'],
    ['a blank file', () => write('blank.yaml', '  \n\n\t\n'), 'is empty'],
    ['binary garbage', () => write('garbage.yaml', Uint8Array.from({ length: 512 }, (_, i) => (i * 7919 + 13) & 255)), 'binary'],
    ['invalid UTF-8', () => write('latin1.yaml', Uint8Array.from([0x6e, 0x61, 0x6d, 0x65, 0x3a, 0x20, 0xe9, 0xff, 0x0a])), 'not UTF-8'],
    ['a file too large', () => write('huge.yaml', `description: "${'x'.repeat(4 * 1024 * 1024)}"\n`), 'at most'],
    ['flow brackets nested 10,000 deep', () => write('deep.json', '['.repeat(10_000) + ']'.repeat(10_000)), 'nests brackets'],
  ];
  for (const [what, make, fragment] of cases) {
    it(`refuses ${what}, naming the file`, () => {
      const path = make();
      const err = refused(() => loadScenario(path));
      expect(err.code).toBe('input');
      expect(err.file).toBe(path);
      expect(err.message.startsWith(`${path}: `)).toBe(true);
      expect(err.message).toContain(fragment);
      expect(err.problems.length).toBeGreaterThan(0);
    });
  }

  it('accepts a UTF-8 byte-order mark', () => {
    const path = write('bom.yaml', '\uFEFFduration: 1h\nmodes: [azure]\nnodePools: [{name: user}]\n');
    expect(loadScenario(path).durationMs).toBe(3_600_000);
  });

  it('refuses a billion-laughs alias bomb quickly', () => {
    let text = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i <= 9; i++) text += `a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(', ')}]\n`;
    const t0 = performance.now();
    const err = refused(() => parse(text, 'bomb.yaml'));
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(err.message).toContain('alias bomb');
  });
});

describe('safety', () => {
  it('never pollutes prototypes through __proto__ / constructor keys', () => {
    const raw = JSON.parse('{"duration": "1h", "modes": ["azure"], "__proto__": {"polluted": 1}, "nodePools": [{"name": "user", "constructor": {"prototype": {"polluted": 2}}}], "network": {"__proto__": {"podCidr": "1.2.3.0/24"}}}') as unknown;
    const err = refused(() => validateScenario(raw, 'proto.json'));
    expect(err.problems.map((p) => p.path).sort()).toEqual(['__proto__', 'network.__proto__', 'nodePools[0].constructor']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('podCidr');
  });

  it('lists at most 100 problems in the message but keeps them all', () => {
    const pools = Array.from({ length: 100 }, (_, i) => `  - {name: p${i}, maxPods: 999, count: -1}`).join('\n');
    const err = refused(() => parse(`duration: 1h\nmodes: [azure]\nnodePools:\n${pools}\n`, 'many.yaml'));
    expect(err.problems.length).toBe(200);
    expect(err.message.split('\n')).toHaveLength(101);
    expect(err.message).toContain('… and 100 more problems');
  });

  it('reports each problem as file: path: message', () => {
    const err = refused(() => parse('duration: 1h\nmodes: [azure]\nnodePools: [{name: user, maxpods: 30}]\n', 's.yaml'));
    expect(err.message).toBe('s.yaml: nodePools[0].maxpods: unknown key "maxpods": did you mean "maxPods"?');
    expect(err.problems).toEqual([{ path: 'nodePools[0].maxpods', message: 'unknown key "maxpods": did you mean "maxPods"?' }]);
  });
});

describe('suggestions', () => {
  it('measures edits with transpositions', () => {
    expect(editDistance('maxpods', 'maxpods')).toBe(0);
    expect(editDistance('wbe', 'web')).toBe(1);
    expect(editDistance('overlya', 'overlay')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('abc', 'xyzabcdef', 3)).toBe(4);
  });
  it('suggests the closest known word, or nothing', () => {
    expect(suggest('maxpods', ['maxPods', 'name'])).toBe('maxPods');
    expect(suggest('nodecount', ['count', 'nodeCount'])).toBe('nodeCount');
    expect(suggest('podcidr', ['podCidr', 'podCidrs'])).toBe('podCidr');
    expect(suggest('zzz', ['maxPods', 'name'])).toBeUndefined();
    expect(suggest('x'.repeat(500), ['x'])).toBeUndefined();
  });
});

describe('bundled scenarios', () => {
  const dir = join(import.meta.dirname, '..', '..', 'scenarios');
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f));
  } catch {
    files = [];
  }
  it.skipIf(files.length === 0)('every bundled scenario validates', () => {
    for (const f of files) {
      const s = loadScenario(join(dir, f));
      expect(s.clusters.length, f).toBeGreaterThan(0);
    }
  });
});

it('a nodes count outside the autoscaler range is a warning that says what the autoscaler will (not) do', () => {
  const s = parseScenario(`
name: outside
duration: 1h
modes: [overlay]
nodePools:
  - {name: user, count: 3, maxPods: 10, autoscaler: {minCount: 3, maxCount: 5}}
workload:
  - {at: 60, nodes: {pool: user, count: 1}}
`, 'outside.yaml');
  expect(s.warnings).toEqual([{
    path: 'workload[0].nodes.count',
    message: expect.stringContaining('below minCount the autoscaler adds nodes only for waiting pods, above maxCount it removes only idle ones'),
  }]);
});
