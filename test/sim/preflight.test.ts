/**
 * What an allocator refuses at construction is a problem of the scenario file, found by `validate` as by `run`:
 * the file and the field are named, exit 2, nothing written.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, tempDir } from '../cli/helpers.js';

const dir = tempDir('cnisim-preflight-');

describe('preflight: a mode\'s own limits are found before anything runs', () => {
  it.each([
    ['gke', 'platform: gcp\nmodes: [gke]\nnetwork: {nodeSubnet: 10.128.0.0/20, podCidr: 10.4.0.0/26}\n',
      'nodePools: under gke: cluster default: nodePools[0] (p): the pod range 10.4.0.0/26 is smaller than the /24 each node takes at max-pods 110'],
    ['kubernetes', 'platform: kubernetes\nmodes: [kubernetes]\nnetwork: {ipFamilies: [ipv4, ipv6], podCidrs: [10.244.0.0/16, "fd00::/40"]}\n',
      'nodePools: under kubernetes: cluster default: kube-controller-manager refuses to start with the IPv6 cluster CIDR fd00::/40'],
  ])('%s: validate and run both exit 2 naming the file', async (name, net, message) => {
    const file = join(dir, `${name}.yaml`);
    writeFileSync(file, `duration: 10m\n${net}nodePools: [{name: p, count: 1}]\n`);
    const v = await cli('validate', file);
    expect(v.code).toBe(2);
    expect(v.stderr).toContain(`${file}: ${message}`);
    const out = join(dir, `${name}-out`);
    const r = await cli('run', file, '--out', out);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}: ${message}`);
    expect(existsSync(out)).toBe(false);
  });
});
