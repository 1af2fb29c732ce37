/**
 * from-az on the command lines of the AKS overlay page (quoted below) and on command lines in the form of the AKS
 * docs for the other modes:
 * the YAML parses and validates, the mode and ranges are right, unknown flags are listed, placeholders refused.
 */
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/scenario/index.js';
import { CnisimError } from '../../src/errors.js';
import { parseScript } from '../../src/fromaz/shell.js';
import { fromAz } from '../../src/fromaz/az.js';
import { fromAzCommand } from '../../src/commands/from-az.js';

/**
 * The az commands of the AKS "Azure CNI Overlay" page (https://learn.microsoft.com/azure/aks/azure-cni-overlay),
 * quoted as the page gives them: each with the shell variables set above it.
 */
const DOC_COMMANDS = [
  "clusterName=\"myOverlayCluster\"\nresourceGroup=\"myResourceGroup\"\nlocation=\"westcentralus\"\naz aks create \\\n--name $clusterName \\\n--resource-group $resourceGroup \\\n--location $location \\\n--network-plugin azure \\\n--network-plugin-mode overlay \\\n--pod-cidr 192.168.0.0/16 \\\n--generate-ssh-keys",
  "clusterName=\"myOverlayCluster\"\nresourceGroup=\"myResourceGroup\"\nlocation=\"westcentralus\"\nnodepoolName=\"newpool1\"\nsubscriptionId=$(az account show --query id -o tsv)\nvnetName=\"yourVnetName\"\nsubnetName=\"yourNewSubnetName\"\nsubnetResourceId=\"/subscriptions/$subscriptionId/resourceGroups/$resourceGroup/providers/Microsoft.Network/virtualNetworks/$vnetName/subnets/$subnetName\"\naz aks nodepool add --resource-group $resourceGroup --cluster-name $clusterName \\\n--name $nodepoolName --node-count 1 \\\n--mode system --vnet-subnet-id $subnetResourceId",
  "az aks create \\ --location <region> \\ --resource-group <resourceGroupName> \\ --name <clusterName> \\ --network-plugin azure \\ --network-plugin-mode overlay \\ --ip-families ipv4,ipv6 \\ --generate-ssh-keys",
  "clusterName=\"myOverlayCluster\"\nresourceGroup=\"myResourceGroup\"\nlocation=\"westcentralus\"\naz aks create \\\n--name $clusterName \\\n--resource-group $resourceGroup \\\n--location $location \\\n--network-plugin azure \\\n--network-plugin-mode overlay \\\n--network-dataplane cilium \\\n--ip-families ipv4,ipv6 \\\n--generate-ssh-keys",
  "clusterName=\"myOverlayCluster\"\nresourceGroup=\"myResourceGroup\"\nlocation=\"westcentralus\"\naz aks create \\\n--name $clusterName \\\n--resource-group $resourceGroup \\\n--location $location \\\n--network-plugin azure \\\n--network-plugin-mode overlay \\\n--ip-families ipv4,ipv6 \\\n--generate-ssh-keys",
  "az aks nodepool add \\\n--resource-group $resourceGroup \\\n--cluster-name $clusterName \\\n--os-type Windows \\\n--name winpool1 \\\n--node-count 2",
];

function seedScripts(): { where: string; script: string; first: string }[] {
  return DOC_COMMANDS.map((script, i) => ({ where: `overlay doc command ${i}`, script, first: script.slice(script.indexOf('az aks')) }));
}

function problemsOf(fn: () => unknown): { path: string; message: string }[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof CnisimError) return [...err.problems];
    throw err;
  }
  return [];
}

describe('from-az on the seed pages', () => {
  const scripts = seedScripts();
  const creates = scripts.filter((s) => s.first.startsWith('az aks create'));

  it('finds the seed commands', () => {
    expect(creates.length).toBeGreaterThanOrEqual(4);
  });

  it('every az aks create of the seeds gives a scenario that validates', () => {
    for (const s of creates) {
      const r = fromAz(parseScript(s.script));
      const scenario = parseScenario(r.yaml, `${s.where}.yaml`);
      expect(r.mode, s.where).toBe('overlay');
      expect(r.unknown, s.where).toEqual([]);
      expect(r.ignored.some((x) => x.startsWith('--generate-ssh-keys')), s.where).toBe(true);
      expect(scenario.modes).toEqual(['overlay']);
      expect(r.yaml).toContain('# Ignored (no effect on addresses):');
    }
  });

  it('reads the overlay example: pod CIDR, names, resource group, ignored location', () => {
    const s = creates.find((c) => c.script.includes('192.168.0.0/16'))!;
    const r = fromAz(parseScript(s.script));
    const sc = parseScenario(r.yaml, 'x.yaml');
    expect(sc.name).toBe('myoverlaycluster');
    expect(sc.clusters[0]!.network.podCidr.text).toBe('192.168.0.0/16');
    expect(sc.clusters[0]!.network.resourceGroup).toBe('myResourceGroup');
    expect(sc.clusters[0]!.pools[0]!.count).toBe(3);
    expect(r.ignored).toContain('--location westcentralus');
  });

  it('reads the dual-stack example', () => {
    const s = creates.find((c) => c.script.includes('ipv4,ipv6'))!;
    const sc = parseScenario(fromAz(parseScript(s.script)).yaml, 'x.yaml');
    expect(sc.clusters[0]!.network.ipFamilies).toEqual(['ipv4', 'ipv6']);
    expect(sc.clusters[0]!.network.podCidr6).not.toBeNull();
    expect(sc.name).toBe('aks-cluster'); // <clusterName> is a placeholder, not a name
  });

  it('joins the doc\'s nodepool add (dedicated subnet) to its cluster; the subnet range is a placeholder until given', () => {
    const pools = scripts.filter((s) => s.first.startsWith('az aks nodepool add'));
    expect(pools.length).toBeGreaterThanOrEqual(2);
    const create = creates.find((c) => c.script.includes('192.168.0.0/16'))!;
    const withSubnet = pools.find((p) => p.script.includes('subnetResourceId'))!;
    const r = fromAz(parseScript(`${create.script}\n${withSubnet.script}`));
    expect(r.placeholders).toEqual(['nodePools[1].nodeSubnet']);
    const problems = problemsOf(() => parseScenario(r.yaml, 'x.yaml'));
    expect(problems.map((p) => p.path)).toEqual(['nodePools[1].nodeSubnet']);
    expect(problems[0]!.message).toMatch(/"FILL-IN CIDR of yourNewSubnetName" is not an IPv4 CIDR/);
    const ok = fromAz(parseScript(`${create.script}\n${withSubnet.script}`), { subnets: new Map([['yourNewSubnetName', '10.241.0.0/16']]) });
    const sc = parseScenario(ok.yaml, 'x.yaml');
    expect(sc.clusters[0]!.pools.map((p) => `${p.name} ${p.count} ${p.nodeSubnet.text}`)).toEqual(['nodepool1 3 10.224.0.0/16', 'newpool1 1 10.241.0.0/16']);
    expect(ok.ignored).toContain('--mode system');
    const windows = pools.find((p) => p.script.includes('Windows'))!;
    const w = parseScenario(fromAz(parseScript(`${create.script}\n${windows.script}`)).yaml, 'x.yaml');
    expect(w.clusters[0]!.pools.map((p) => `${p.name} ${p.count}`)).toEqual(['nodepool1 3', 'winpool1 2']);
  });
});

describe('from-az on the other modes (command lines in the form of the AKS docs)', () => {
  const vnet = '/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Network/virtualNetworks/myvnet/subnets';

  it('dynamic pod subnet: --pod-subnet-id with ranges learned from az network vnet subnet create', () => {
    const script = [
      'az network vnet create -g rg --location eastus --name myvnet --address-prefixes 10.0.0.0/8 -o none',
      'az network vnet subnet create -g rg --vnet-name myvnet --name nodesubnet --address-prefixes 10.240.0.0/16 -o none',
      'az network vnet subnet create -g rg --vnet-name myvnet --name podsubnet --address-prefixes 10.241.0.0/16 -o none',
      `az aks create --name myAKSCluster --resource-group rg --location eastus --max-pods 250 --node-count 2 --network-plugin azure --vnet-subnet-id ${vnet}/nodesubnet --pod-subnet-id ${vnet}/podsubnet --generate-ssh-keys`,
      `az aks nodepool add --cluster-name myAKSCluster -g rg -n newnodepool --max-pods 250 --node-count 2 --vnet-subnet-id ${vnet}/nodesubnet --pod-subnet-id ${vnet}/podsubnet2 --pod-subnet-cidr 10.242.0.0/16 --no-wait`,
    ].join('\n');
    const r = fromAz(parseScript(script));
    expect(r.mode).toBe('dynamic');
    const sc = parseScenario(r.yaml, 'x.yaml');
    const net = sc.clusters[0]!.network;
    expect([net.vnetCidr?.text, net.nodeSubnet.text, net.podSubnet?.text, net.vnetName, net.podSubnetName]).toEqual(['10.0.0.0/8', '10.240.0.0/16', '10.241.0.0/16', 'myvnet', 'podsubnet']);
    expect(sc.clusters[0]!.pools.map((p) => `${p.name} ${p.count} ${p.maxPods} ${p.podSubnet?.text}`)).toEqual(['nodepool1 2 250 10.241.0.0/16', 'newnodepool 2 250 10.242.0.0/16']);
  });

  it('static block: --pod-ip-allocation-mode StaticBlock', () => {
    const r = fromAz(parseScript(`az aks create -n c -g rg --network-plugin azure --max-pods 31 --vnet-subnet-id ${vnet}/nodes --pod-subnet-id ${vnet}/pods --pod-ip-allocation-mode StaticBlock --enable-cluster-autoscaler --min-count 3 --max-count 50`), {
      subnets: new Map([['nodes', '10.240.0.0/22'], [`${vnet}/pods`, '10.241.0.0/20']]),
    });
    expect(r.mode).toBe('static-block');
    const sc = parseScenario(r.yaml, 'x.yaml');
    expect(sc.clusters[0]!.pools[0]!.autoscaler).toMatchObject({ minCount: 3, maxCount: 50 });
    expect(sc.clusters[0]!.network.podSubnet?.text).toBe('10.241.0.0/20');
  });

  it('kubenet and traditional Azure CNI, with the inline --vnet-subnet-cidr hint', () => {
    const k = fromAz(parseScript('az aks create --resource-group rg --name k --network-plugin kubenet --pod-cidr 10.244.0.0/16 --service-cidr 10.0.0.0/16 --dns-service-ip 10.0.0.10 --node-count 3'));
    expect(k.mode).toBe('kubenet');
    expect(parseScenario(k.yaml, 'k.yaml').clusters[0]!.network.dnsServiceIp).toBe((10 << 24 >>> 0) + 10);
    const a = fromAz(parseScript(`az aks create -g rg -n a --network-plugin azure --vnet-subnet-id ${vnet}/aks --vnet-subnet-cidr 10.240.0.0/21 -c 50 -m 30 --max-surge 1`));
    expect(a.mode).toBe('azure');
    const sc = parseScenario(a.yaml, 'a.yaml');
    expect([sc.clusters[0]!.network.nodeSubnet.text, sc.clusters[0]!.pools[0]!.count, sc.clusters[0]!.pools[0]!.maxPods]).toEqual(['10.240.0.0/21', 50, 30]);
    expect(a.notes.some((n) => n.includes('--max-surge 1'))).toBe(true);
  });

  it('lists unknown flags (stderr comes from the command; the YAML keeps them as a comment)', () => {
    const r = fromAzCommand({ command: ['az', 'aks', 'create', '--network-plugin', 'azure', '--network-plugin-mode', 'overlay', '--frobnicate', '7', '--enable-magic', '--node-count', '4'] });
    expect(r.unknown).toEqual(['--frobnicate 7 (az aks create)', '--enable-magic (az aks create)']);
    expect(r.yaml).toMatch(/# Unknown flags \(not read; check them\):\n#   --frobnicate 7 \(az aks create\)\n#   --enable-magic/);
    expect(parseScenario(r.yaml, 'x.yaml').clusters[0]!.pools[0]!.count).toBe(4);
    // One argument holding the whole pasted command works too.
    expect(fromAzCommand({ command: ['az aks create --network-plugin kubenet -c 5'] }).mode).toBe('kubenet');
  });

  it('refuses what it cannot simulate, naming the flag', () => {
    expect(() => fromAz(parseScript('az aks create --network-plugin none'))).toThrow(/--network-plugin none/);
    expect(() => fromAz(parseScript('az aks nodepool add --cluster-name c -n p'))).toThrow(/no az aks create/);
    expect(() => fromAz(parseScript('az aks create --node-count three'))).toThrow(/--node-count three is not a whole number/);
    expect(() => fromAz(parseScript('az aks create --enable-cluster-autoscaler --min-count 1'))).toThrow(/--min-count and --max-count/);
    expect(() => fromAzCommand({ command: ['az', 'aks', 'create'], subnet: ['nodes=10.0.0.0/33'] })).toThrow(/--subnet nodes=10.0.0.0\/33/);
  });
});

describe('shell words', () => {
  it('quotes, continuations, variables, command substitution kept verbatim', () => {
    const cmds = parseScript('a="x y"\nsub=$(az account show --query id -o tsv)\necho "$a" \'$a\' ${a}z \\\n  --id /s/$sub/n # comment\nb=1; c && d');
    expect(cmds.map((c) => c.argv)).toEqual([
      ['echo', 'x y', '$a', 'x yz', '--id', '/s/$(az account show --query id -o tsv)/n'],
      ['c'],
      ['d'],
    ]);
  });
});
