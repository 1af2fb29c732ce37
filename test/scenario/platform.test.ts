/**
 * A scenario's platform: its default modes and network defaults, and each platform's own rules applied only to
 * clusters running its modes (AKS's service CIDR and DNS rules, subnet sizes per provider). Uses the tests' own
 * mode (test/alloc/test-modes.ts) on platforms that have no registered mode of their own here.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modeEntry, platformModes, registerMode } from '../../src/alloc/registry.js';
import { CnisimError } from '../../src/errors.js';
import { parseScenario } from '../../src/scenario/index.js';
import { TINY } from '../alloc/test-modes.js';

/** The tests' own mode, also declared on the aws platform. */
const TINY_AWS = modeEntry({ ...TINY.info, name: 'tiny-aws', platform: 'aws' }, TINY.create, { ...TINY.planner, mode: 'tiny-aws' });

function problems(yaml: string): string[] {
  try {
    parseScenario(yaml, 'p.yaml');
  } catch (e) {
    if (e instanceof CnisimError) return e.problems.map((p) => `${p.path}: ${p.message}`);
    throw e;
  }
  return [];
}

const POOL = 'nodePools: [{name: a, count: 1}]\n';
const undo: (() => void)[] = [];
beforeAll(() => {
  undo.push(registerMode(TINY), registerMode(TINY_AWS));
});
afterAll(() => {
  for (const u of undo) u();
});

describe('platform', () => {
  it('defaults to azure: a file without it runs the AKS modes, as before', () => {
    const s = parseScenario(`duration: 1h\nnetwork: {podSubnet: 10.225.0.0/20}\n${POOL}`, 'p.yaml');
    expect(s.platform).toBe('azure');
    expect(s.modes).toEqual(['overlay', 'dynamic', 'static-block', 'kubenet', 'azure']);
    expect(s.clusters[0]!.network.serviceCidr.text).toBe('10.0.0.0/16');
  });

  it("chooses the platform's modes and network defaults (kubeadm's service CIDR 10.96.0.0/12)", () => {
    const s = parseScenario(`platform: kubernetes\nduration: 1h\n${POOL}`, 'p.yaml');
    expect(s.modes).toEqual(platformModes('kubernetes'));
    expect(s.modes).toContain('tiny');
    expect(s.clusters[0]!.network.serviceCidr.text).toBe('10.96.0.0/12');
    expect(s.clusters[0]!.network.dnsServiceIp).toBe((10 << 24) + (96 << 16) + 10);
  });

  it("applies AKS's service-CIDR and DNS rules to the AKS modes only", () => {
    const net = 'network: {serviceCidr: 10.96.0.0/12, dnsServiceIp: 10.96.0.1}\n';
    expect(problems(`platform: kubernetes\nduration: 1h\nmodes: [tiny]\n${net}${POOL}`)).toEqual([]);
    const aks = problems(`duration: 1h\nmodes: [overlay]\n${net}${POOL}`);
    expect(aks).toContain("network.serviceCidr: 10.96.0.0/12 is too large: AKS's service CIDR must be smaller than /12 (/13 or longer prefix) [overlay-doc]");
    expect(aks.some((p) => p.startsWith('network.dnsServiceIp: 10.96.0.1 is the first address of the service CIDR'))).toBe(true);
  });

  it('checks subnet sizes with the provider of the modes run: Azure /29, AWS /16 … /28', () => {
    expect(problems(`duration: 1h\nmodes: [overlay]\nnetwork: {nodeSubnet: 10.1.0.0/30}\n${POOL}`)).toContain(
      'network.nodeSubnet: 10.1.0.0/30 is smaller than /29, the smallest subnet Azure allows [vnet-faq]',
    );
    expect(problems(`platform: aws\nduration: 1h\nmodes: [tiny-aws]\nnetwork: {nodeSubnet: 10.1.0.0/29}\n${POOL}`)[0]).toMatch(
      /^network\.nodeSubnet: 10\.1\.0\.0\/29 is not a valid AWS subnet: a VPC subnet is a \/16 to \/28/,
    );
    expect(problems(`platform: aws\nduration: 1h\nmodes: [tiny-aws]\nnetwork: {nodeSubnet: 10.0.0.0/15}\n${POOL}`)[0]).toMatch(/is not a valid AWS subnet/);
    expect(problems(`platform: aws\nduration: 1h\nmodes: [tiny-aws]\nnetwork: {nodeSubnet: 10.1.0.0/28}\n${POOL}`)).toEqual([]);
    // The same /30 is fine for a self-managed cluster's mode.
    expect(problems(`platform: kubernetes\nduration: 1h\nmodes: [tiny]\nnetwork: {nodeSubnet: 10.1.0.0/29}\n${POOL}`)).toEqual([]);
  });

  it('refuses an unknown platform with the choices', () => {
    expect(problems(`platform: openstack\nduration: 1h\n${POOL}`)[0]).toMatch(/^platform: .*azure.*aws.*gcp.*kubernetes/);
  });

  it('warns when a pool key belongs to a mode not run, and checks it under the mode that reads it', () => {
    const s = parseScenario(`duration: 1h\nmodes: [overlay]\nnodePools: [{name: a, count: 1, perNode: 2}]\n`, 'p.yaml');
    expect(s.warnings.map((w) => `${w.path}: ${w.message}`)).toContain('nodePools[0].perNode: only tiny and tiny-aws use perNode; ignored under overlay');
    expect(problems(`platform: kubernetes\nduration: 1h\nmodes: [tiny]\nnodePools: [{name: a, count: 1, perNode: 0}]\n`)[0]).toMatch(/^nodePools\[0\]\.perNode: /);
  });
});

describe('keys AWS users write', () => {
  it('vpcCidr is the VPC range (vnetCidr by another name); both at once is refused', () => {
    const base = 'platform: aws\nduration: 1h\nmodes: [tiny-aws]\nnodePools: [{name: a, count: 1}]\n';
    const s = parseScenario(`${base}network: {vpcCidr: 192.168.0.0/16, nodeSubnet: 192.168.0.0/24}\n`, 'p.yaml');
    expect(s.clusters[0]!.network.vnetCidr?.text).toBe('192.168.0.0/16');
    expect(problems(`${base}network: {vpcCidr: 192.168.0.0/16, nodeSubnet: 10.0.0.0/24}\n`)).toContain(
      'network.nodeSubnet: the node subnet 10.0.0.0/24 lies outside the VPC 192.168.0.0/16 (network.vpcCidr)',
    );
    expect(problems(`${base}network: {vpcCidr: 192.168.0.0/16, vnetCidr: 192.168.0.0/16, nodeSubnet: 192.168.0.0/24}\n`)).toContain('network.vpcCidr: give vnetCidr or vpcCidr, not both');
  });
});

describe('a pool\'s own pod range', () => {
  it('is a warning under modes that give a pool no range of its own', () => {
    const s = parseScenario('duration: 1h\nmodes: [overlay]\nnodePools: [{name: a, count: 1, podCidr: 10.50.0.0/16}]\n', 'p.yaml');
    expect(s.warnings.map((w) => `${w.path}: ${w.message}`)).toContain('nodePools[0].podCidr: only gke gives a node pool its own pod range; ignored under overlay');
  });
});

describe('more than one IPv4 pod CIDR (network.additionalPodCidrs)', () => {
  const net = 'network: {podCidr: 10.244.0.0/24, additionalPodCidrs: [10.245.0.0/24]}\n';
  it('cilium-cluster-pool carves every CIDR in order: two /24s hold two nodes, the third is refused; kubernetes ignores them, with a warning', async () => {
    const { simulate } = await import('../../src/sim/run.js');
    const s = parseScenario(`platform: kubernetes\nduration: 10m\nmodes: [cilium-cluster-pool, kubernetes]\n${net}nodePools: [{name: p, count: 3}]\n`, 'p.yaml');
    expect(s.warnings.map((w) => `${w.path}: ${w.message}`)).toContain('network.additionalPodCidrs: ignored in the kubernetes run: only cilium-cluster-pool takes more than one pod CIDR');
    const r = await simulate(s);
    const nodes = (mode: string) => r.summary.find((x) => x.mode === mode && x.pool === '')!.max_nodes;
    expect([nodes('cilium-cluster-pool'), nodes('kubernetes')]).toEqual([2, 1]);
  });

  it('refuses overlaps and a list without a podCidr, and warns under modes that take one CIDR', () => {
    expect(problems('platform: kubernetes\nduration: 1h\nmodes: [calico]\nnetwork: {podCidr: 10.244.0.0/16, additionalPodCidrs: [10.244.128.0/20]}\nnodePools: [{name: a, count: 1}]\n'))
      .toContain('network.additionalPodCidrs[0]: 10.244.128.0/20 overlaps the pod CIDR 10.244.0.0/16 (network.podCidr)');
    expect(problems('platform: kubernetes\nduration: 1h\nmodes: [calico]\nnetwork: {additionalPodCidrs: [10.50.0.0/16]}\nnodePools: [{name: a, count: 1}]\n')[0])
      .toMatch(/^network\.additionalPodCidrs\[0\]: additional pod CIDRs follow a podCidr the scenario names: give network\.podCidr too/);
    const s = parseScenario(`duration: 1h\nmodes: [overlay]\n${net}nodePools: [{name: a, count: 1}]\n`, 'p.yaml');
    expect(s.warnings.map((w) => `${w.path}: ${w.message}`)).toContain('network.additionalPodCidrs: only calico and cilium-cluster-pool take more than one pod CIDR; ignored under overlay');
  });
});
