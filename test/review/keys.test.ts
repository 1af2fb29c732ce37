/**
 * Keys as users write them (issue 18, point 6): az's node-pool flags in a scenario, subnet ids where ranges are
 * needed, and from-az reading az command lines the way az does.
 */
import { describe, expect, test } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { cli, tempDir } from '../cli/helpers.js';
import { parseScenario } from '../../src/scenario/index.js';

const dir = tempDir('cnisim-review-keys-');

let files = 0;
function scenario(pool: string): string {
  const f = join(dir, `s${++files}.yaml`);
  writeFileSync(f, `
name: keys
platform: azure
modes: [overlay]
duration: 10m
nodePools:
  - ${pool}
`);
  return f;
}

describe('az\'s autoscaler flags on a node pool', () => {
  test('minCount, maxCount, enableClusterAutoscaler: true are the autoscaler', () => {
    const s = parseScenario(`
name: keys
platform: azure
modes: [overlay]
duration: 10m
nodePools:
  - {name: user, count: 3, enableClusterAutoscaler: true, minCount: 2, maxCount: 12}
`, 'keys.yaml');
    expect(s.clusters[0]!.pools[0]!.autoscaler).toMatchObject({ minCount: 2, maxCount: 12 });
    expect(s.clusters[0]!.pools[0]!.count).toBe(3);
  });

  test.each([
    ['{name: user, minCount: 2}', 'nodePools[0].maxCount: required with minCount: the autoscaler needs minCount and maxCount'],
    ['{name: user, enableClusterAutoscaler: false, minCount: 1, maxCount: 3}', 'nodePools[0].enableClusterAutoscaler: is false but minCount/maxCount are given'],
    ['{name: user, minCount: 1, maxCount: 3, autoscaler: {minCount: 1, maxCount: 3}}', 'nodePools[0].minCount: give autoscaler: {minCount, maxCount} or az\'s minCount, maxCount, not both'],
    ['{name: user, minCount: 5, maxCount: 3}', 'nodePools[0].autoscaler.minCount: 5 is above maxCount (3)'],
  ])('%s → %s', async (pool, message) => {
    const r = await cli('validate', scenario(pool));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });

  test('vnetSubnetId and podSubnetId: did you mean nodeSubnet / podSubnet, and how to give the range', async () => {
    const r = await cli('validate', scenario('{name: user, vnetSubnetId: /subscriptions/s/resourceGroups/g/providers/Microsoft.Network/virtualNetworks/v/subnets/nodes, podSubnetId: x}'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('nodePools[0].vnetSubnetId: unknown key "vnetSubnetId": did you mean "nodeSubnet"? It takes the subnet\'s range, not its id, e.g. nodeSubnet: 10.240.0.0/16 (az network vnet subnet show --ids <id> --query addressPrefix prints it)');
    expect(r.stderr).toContain('nodePools[0].podSubnetId: unknown key "podSubnetId": did you mean "podSubnet"?');
  });
});

describe('from-az reads az command lines as az does', () => {
  test('multi-value flags (--zones 1 2 3, --nodepool-labels a=b c=d, --tags) take every word up to the next flag', async () => {
    const r = await cli('from-az', '--', 'az', 'aks', 'create', '-n', 'shop', '--network-plugin', 'azure', '--network-plugin-mode', 'overlay',
      '--zones', '1', '2', '3', '--nodepool-labels', 'a=b', 'c=d', '--tags', 'env=prod', 'team=x', '--node-count', '5');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('# Ignored (no effect on addresses): --zones 1 2 3 --nodepool-labels a=b c=d --tags env=prod team=x');
    expect(r.stdout).not.toMatch(/stray word/);
    const s = YAML.parse(r.stdout) as { nodePools: { count: number }[] };
    expect(s.nodePools[0]!.count).toBe(5);
  });

  test('without --, the command is read all the same, with a tip to put it after --', async () => {
    const r = await cli('from-az', 'az', 'aks', 'create', '--network-plugin', 'kubenet', '--node-count', '4');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('from-az: tip: put the az command after --, e.g. cnisim from-az -- az aks create --network-plugin …, so none of its flags is read as cnisim\'s own (--debug, -h)\n');
    expect(YAML.parse(r.stdout).modes).toEqual(['kubenet']);
  });

  test('the scenario runs the command\'s mode, its alternatives beside it commented out, ready to switch on', async () => {
    const r = await cli('from-az', '--', 'az', 'aks', 'create', '--network-plugin', 'azure', '--node-count', '3');
    const lines = r.stdout.split('\n');
    const at = lines.indexOf('modes:');
    expect(lines.slice(at, at + 6)).toEqual([
      'modes:',
      '  - azure',
      '  # - overlay       # Azure CNI Overlay',
      '  # - dynamic       # Azure CNI pod subnet, dynamic allocation; needs network.podSubnet',
      '  # - static-block  # Azure CNI pod subnet, static block allocation; needs network.podSubnet',
      '  # - kubenet       # kubenet',
    ]);
    // It validates as written, and with the overlay line switched on.
    const f = join(dir, 'from-az.yaml');
    writeFileSync(f, r.stdout);
    expect((await cli('validate', f)).code).toBe(0);
    writeFileSync(f, r.stdout.replace('  # - overlay ', '  - overlay '));
    const both = await cli('validate', f);
    expect(both.stdout).toMatch(/modes azure, overlay/);
  });
});
