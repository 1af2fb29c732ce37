/**
 * The planner answers a reviewer's questions (issue 18, point 4): a scenario sized for its timeline's actual peak
 * beside every node full; --pods/--nodes/--max-pods overriding a scenario's figures; headroom (how many more
 * nodes before each space runs out, and which first), checked against the simulator; modes compared at one
 * max-pods; --surge as a count or a percentage.
 */
import { describe, expect, test } from 'vitest';
import { MODE_NAMES } from '../../src/alloc/registry.js';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { cli, tempDir } from '../cli/helpers.js';
import { validateScenario } from '../../src/scenario/index.js';
import { simulate } from '../../src/sim/run.js';
import { planScenario } from '../../src/plan/scenario.js';

const dir = tempDir('cnisim-review-plan-');

function file(name: string, yaml: string): string {
  const f = join(dir, `${name}.yaml`);
  writeFileSync(f, yaml);
  return f;
}

/** A dynamic cluster whose autoscaler may reach 300 nodes but whose workload needs 68 of them. */
const AUTOSCALED = `
name: autoscaled
platform: azure
seed: 1
duration: 1h
sampleEvery: 5m
modes: [dynamic]
network: {nodeSubnet: 10.240.0.0/22, podSubnet: 10.241.0.0/20}
nodePools:
  - {name: user, count: 10, maxPods: 30, autoscaler: {minCount: 10, maxCount: 300}}
workload:
  - {at: 0, daemonset: {name: agent}}
  - {at: 1m, deploy: {name: web, pool: user, replicas: 1500}}
  - {at: 20m, scale: {name: web, replicas: 1900}}
  - {at: 40m, scale: {name: web, replicas: 600}}
`;

describe('a scenario is sized for its actual peak, beside every node full', () => {
  test('1,900 pods at 29 per node (one agent each) → 66 nodes: a /20 pod subnet holds the peak; every node full would need a /18', async () => {
    const r = await cli('plan', file('autoscaled', AUTOSCALED));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/dynamic\s+default\/user\s+30\s+66 \+ 0\s+1,966\s+300 \+ 0\s+9,000/);
    expect(r.stdout).toMatch(/dynamic\s+default\s+pod subnet\s+10\.241\.0\.0\/20\s+4,091\s+\S+\s+\/20\s+holds\s+\S+\s+\/18\s+too small: needs a \/18/);
  });

  test('the simulator agrees: the same scenario runs with no refusal and no exhaustion on the /20', async () => {
    const s = validateScenario(YAML.parse(AUTOSCALED), 'autoscaled.yaml');
    const r = await simulate(s);
    const c = r.summary.find((x) => x.pool === '')!;
    expect([c.refusals, c.first_exhaustion_s, c.first_threshold_s, c.max_nodes]).toEqual([0, null, null, 66]);
  });

  test('--pods, --nodes and --max-pods override the scenario\'s figures for its pool', async () => {
    const f = file('autoscaled2', AUTOSCALED);
    const r = await cli('plan', f, '--pods', '3000', '--nodes', '120', '--max-pods', '40');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/dynamic\s+default\/user\s+40\s+120 \+ 0\s+3,000\s+120 \+ 0\s+4,800/);
    const many = file('two-pools', AUTOSCALED.replace('workload:', '  - {name: sys, count: 2}\nworkload:'));
    const bad = await cli('plan', many, '--pods', '3000');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--pool: .* has node pools user, sys; name the one --nodes\/--pods\/--max-pods\/--surge describe with --pool <name>/);
    const ok = await cli('plan', many, '--pool', 'user', '--pods', '3000');
    expect(ok.code).toBe(0);
  });
});

describe('headroom: how many more nodes before a space runs out, and which first', () => {
  const SMALL = `
name: headroom
platform: azure
seed: 1
duration: 20m
sampleEvery: 5m
modes: [azure, overlay]
network: {nodeSubnet: 10.240.0.0/24, podCidr: 10.244.0.0/20}
nodePools: [{name: user, count: 3, maxPods: 30}]
workload:
  - {at: 0, deploy: {name: web, pool: user, replicas: 90}}
`;

  test('azure: a /24 (251 usable) holds 8 nodes of 1 + 30: 5 more than 3; overlay: the /20 pod CIDR holds 16 /24s: 13 more', async () => {
    const r = await cli('plan', file('headroom', SMALL));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/azure\s+default\/user\s+node subnet\s+10\.240\.0\.0\/24\s+\+5\s+← runs out first/);
    expect(r.stdout).toMatch(/overlay\s+default\/user\s+node subnet\s+10\.240\.0\.0\/24\s+\+248/);
    expect(r.stdout).toMatch(/overlay\s+default\/user\s+pod CIDR\s+10\.244\.0\.0\/20\s+\+13\s+← runs out first/);
    const csv = await cli('plan', file('headroom-csv', SMALL), '--csv', '--headroom');
    expect(csv.stdout.split('\n')[0]).toBe('mode,cluster,pool,space,range,more_nodes,runs_out_first');
    expect(csv.stdout).toContain('azure,default,user,node-subnet,10.240.0.0/24,5,yes');
  });

  test('the simulator agrees: 3 + 5 full nodes hold; one more is refused with node-subnet-full', async () => {
    const s = validateScenario(YAML.parse(SMALL), 'headroom.yaml');
    const [azure] = planScenario(s);
    const more = azure!.headroom.find((h) => h.space === 'node-subnet')!.moreNodes!;
    const at = async (nodes: number) => {
      const raw = YAML.parse(SMALL.replace('count: 3', `count: ${nodes}`).replace('replicas: 90', `replicas: ${nodes * 30}`));
      const r = await simulate(validateScenario(raw, 'h.yaml'), { modes: ['azure'] });
      return r.summary.find((x) => x.pool === '')!;
    };
    expect((await at(3 + more)).refusals).toBe(0);
    expect((await at(3 + more + 1)).first_exhaustion_cause).toBe('node-subnet-full');
  });

  test('a cluster limit can come first: kubenet with 300 of its 400 routes used has 100 nodes left', async () => {
    const r = await cli('plan', 'scenarios/kubenet-400.yaml', '--nodes', '300', '--pods', '20000');
    expect(r.stdout).toMatch(/kubenet\s+default\/user\s+cluster limit\s+\+100\s+← runs out first/);
    expect(r.stdout).toMatch(/kubenet\s+default\/user\s+pod CIDR\s+10\.244\.0\.0\/14\s+\+724/);
  });
});

describe('flag mode compares the modes on one cluster', () => {
  test('cnisim plan --nodes 30 plans every mode at max-pods 110; --max-pods changes it for all; one mode alone keeps its default', async () => {
    // Every mode's column, over the table's blocks (it continues below when it passes 132 columns).
    const maxPods = (out: string) => [...out.matchAll(/^max-pods((?:\s+\d+)+)$/gm)].flatMap((m) => m[1]!.trim().split(/\s+/));
    const all = await cli('plan', '--nodes', '30');
    expect(maxPods(all.stdout)).toEqual(MODE_NAMES.map(() => '110'));
    const thirty = await cli('plan', '--nodes', '30', '--max-pods', '30');
    expect(maxPods(thirty.stdout)).toEqual(MODE_NAMES.map(() => '30'));
    const azure = await cli('plan', '--mode', 'azure', '--nodes', '30');
    expect(azure.stdout).toMatch(/^max-pods\s+30$/m);
  });
});
