#!/usr/bin/env node
/**
 * Generates src/alloc/aws-vpc-cni/instance-types.ts from the Amazon VPC CNI's own instance table.
 *
 *   node scripts/gen-instance-types.mjs <amazon-vpc-cni-k8s git dir> <kubernetes/autoscaler git dir>
 *
 * Inputs (read with `git show HEAD:<path>`, so a bare clone or a checkout both work):
 *   - aws/amazon-vpc-cni-k8s pkg/vpc/vpc_ip_resource_limit.go: every instance type's ENILimit, IPv4Limit and
 *     HypervisorType (what ipamd itself reads: pkg/vpc/vpc.go GetENILimit / GetIPv4Limit);
 *   - aws/amazon-vpc-cni-k8s misc/eni-max-pods.txt: cross-check, max pods = ENIs × (IPv4 − 1) + 2 for every type
 *     (the script fails on any disagreement);
 *   - kubernetes/autoscaler cluster-autoscaler/cloudprovider/aws/ec2_instance_types.go: vCPUs (the CNI table has
 *     none; the EKS max-pods calculator reads VCpuInfo.DefaultVCpus from the EC2 API). A type missing there gets
 *     vCPUs from its size name (large 2, xlarge 4, Nxlarge 4N, metal-Nxl 4N, medium/small/micro/nano 1 for
 *     Graviton families else 2; a plain metal size: its family's largest) and is flagged; the rule is checked against every type the autoscaler table has
 *     and the script reports how often it disagrees and whether any disagreement crosses the 30-vCPU line that
 *     max-pods-calculator.sh uses.
 * Output is deterministic (types sorted by name).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [cniDir, caDir] = process.argv.slice(2);
if (!cniDir || !caDir) {
  console.error('usage: node scripts/gen-instance-types.mjs <amazon-vpc-cni-k8s git dir> <kubernetes/autoscaler git dir>');
  process.exit(2);
}
const git = (dir, ...args) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
const show = (dir, path) => git(dir, 'show', `HEAD:${path}`);
const commitOf = (dir) => git(dir, 'log', '-1', '--format=%H %cs').trim().split(' ');

const LIMITS = 'pkg/vpc/vpc_ip_resource_limit.go';
const MAXPODS = 'misc/eni-max-pods.txt';
const VCPUS = 'cluster-autoscaler/cloudprovider/aws/ec2_instance_types.go';

/** name → { enis, ipv4, nitro } from the CNI's Go map literal. */
function parseLimits(text) {
  const out = new Map();
  const re = /^\t"([^"]+)": \{\n\t\tENILimit:\s+(\d+),\n\t\tIPv4Limit:\s+(\d+),[\s\S]*?HypervisorType: "([^"]*)",/gm;
  for (const m of text.matchAll(re)) out.set(m[1], { enis: +m[2], ipv4: +m[3], nitro: m[4] === 'nitro' });
  return out;
}

function parseMaxPods(text) {
  const out = new Map();
  for (const line of text.split('\n')) {
    const m = /^(\S+)\s+(\d+)\s*$/.exec(line);
    if (m) out.set(m[1], +m[2]);
  }
  return out;
}

function parseVcpus(text) {
  const out = new Map();
  const re = /InstanceType:\s+"([^"]+)",\n\s+VCPU:\s+(\d+),/g;
  for (const m of text.matchAll(re)) out.set(m[1], +m[2]);
  return out;
}

/** vCPUs from the size name, or null. Graviton families (a letter g in the family suffix) have 1 vCPU below large. */
function vcpusFromName(name) {
  const [family, size] = name.split('.');
  if (!size) return null;
  let m;
  if ((m = /^(\d+)xlarge$/.exec(size))) return 4 * +m[1];
  if (size === 'xlarge') return 4;
  if (size === 'large') return 2;
  if ((m = /^metal-(\d+)xl$/.exec(size))) return 4 * +m[1];
  if (['medium', 'small', 'micro', 'nano'].includes(size)) return /^[a-z]+\d+[a-z]*g/.test(family) ? 1 : 2;
  return null;
}

const limits = parseLimits(show(cniDir, LIMITS));
const maxPods = parseMaxPods(show(cniDir, MAXPODS));
const vcpus = parseVcpus(show(caDir, VCPUS));
const [cniCommit, cniDate] = commitOf(cniDir);
const [caCommit, caDate] = commitOf(caDir);
if (limits.size < 100) throw new Error(`only ${limits.size} instance types parsed from ${LIMITS}: has its format changed?`);

const bad = [];
for (const [name, l] of limits) {
  const mp = maxPods.get(name);
  const want = l.enis * (l.ipv4 - 1) + 2;
  if (mp === undefined) bad.push(`${name}: missing from ${MAXPODS}`);
  else if (mp !== want) bad.push(`${name}: ${MAXPODS} says ${mp}, the table gives ${want}`);
}
for (const name of maxPods.keys()) if (!limits.has(name)) bad.push(`${name}: in ${MAXPODS} only`);
if (bad.length) throw new Error(`cross-check failed:\n${bad.join('\n')}`);

let checked = 0, disagree = 0, crosses = 0;
for (const [name, v] of vcpus) {
  if (!limits.has(name)) continue;
  const d = vcpusFromName(name);
  if (d === null) continue;
  checked++;
  if (d !== v) {
    disagree++;
    if ((d > 30) !== (v > 30)) crosses++;
  }
}

/** A plain `metal` size the autoscaler table lacks: the largest vCPU count of its family (known or from names). */
function familyLargest(name) {
  const family = name.split('.')[0];
  let best = null;
  for (const other of limits.keys()) {
    if (other.split('.')[0] !== family || other === name) continue;
    const v = vcpus.get(other) ?? vcpusFromName(other);
    if (v !== null && (best === null || v > best)) best = v;
  }
  return best;
}

const rows = [];
let derived = 0, unknown = 0;
for (const name of [...limits.keys()].sort()) {
  const l = limits.get(name);
  let v = vcpus.get(name);
  let flags = l.nitro ? 1 : 0;
  if (v === undefined) {
    v = vcpusFromName(name) ?? (name.endsWith('.metal') ? familyLargest(name) : null);
    if (v === null) {
      unknown++;
      v = 0;
    } else derived++;
    flags |= 2;
  }
  rows.push(`  '${name}': [${l.enis}, ${l.ipv4}, ${v}, ${flags}],`);
}

const header = `/**
 * EC2 instance types as the Amazon VPC CNI sees them: GENERATED by scripts/gen-instance-types.mjs, do not edit.
 *
 * Source of ENIs and IPv4 addresses per ENI (and Nitro): aws/amazon-vpc-cni-k8s ${LIMITS}
 *   at commit ${cniCommit} (${cniDate}); every type cross-checked against ${MAXPODS} (same commit):
 *   ENIs × (IPv4 − 1) + 2 equals its max pods for all ${limits.size} types.
 * Source of vCPUs: kubernetes/autoscaler ${VCPUS} at commit ${caCommit} (${caDate}), ${limits.size - derived - unknown} types;
 *   ${derived} types it lacks take vCPUs from their size name (flag 2; the rule agrees with the autoscaler table for
 *   ${checked - disagree} of ${checked} types it has, and ${crosses} disagreement${crosses === 1 ? '' : 's'} cross${crosses === 1 ? 'es' : ''} the 30-vCPU line of max-pods-calculator.sh)${unknown ? `; ${unknown} with neither (no other size in the family) have 0 (counted as ≤ 30)` : ''}.
 *
 * Row: [ENIs, IPv4 addresses per ENI, vCPUs, flags]; flags bit 0 = Nitro (prefix delegation possible), bit 1 = vCPUs
 * derived from the size name.
 */
/* eslint-disable */
export type InstanceRow = readonly [enis: number, ipv4PerEni: number, vcpus: number, flags: number];

export const INSTANCE_SOURCE = '${'aws/amazon-vpc-cni-k8s ' + LIMITS + ' @ ' + cniCommit.slice(0, 12)}';

export const INSTANCE_TYPES: Readonly<Record<string, InstanceRow>> = {
`;
const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, '..', 'src', 'alloc', 'aws-vpc-cni', 'instance-types.ts');
writeFileSync(out, `${header}${rows.join('\n')}\n};\n`);
console.log(`${out}: ${rows.length} types (${derived} vCPU counts from size names, ${unknown} unknown); name rule checked on ${checked}: ${disagree} disagree, ${crosses} cross 30`);
