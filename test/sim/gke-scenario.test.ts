/** The bundled scenarios/gke-pod-range.yaml does what its comment says (through the CLI's loader and simulate()). */
import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { parseScenario } from '../../src/scenario/index.js';
import { simulate } from '../../src/sim/run.js';

const FILE = 'scenarios/gke-pod-range.yaml';
const text = readFileSync(FILE, 'utf8');
test('gke-pod-range: the /19 stops pool default at 32 nodes (pod-cidr-full); pool extra with its own /20 brings 29 more', async () => {
  const r = await simulate(parseScenario(text, FILE));
  const s = r.summary[0]!;
  expect(s.first_exhaustion_cause).toBe('pod-cidr-full');
  expect(s.max_nodes).toBe(61);
  const at = (t: number) => r.timeseries.find((row) => row.time_s === t)!;
  expect(at(3000)).toMatchObject({ nodes: 32, pod_ips_reserved: 8192, pod_ips_capacity: 8192, pods_unschedulable: 480 });
  expect(at(7200)).toMatchObject({ nodes: 61, pod_ips_reserved: 32 * 256 + 29 * 128, pod_ips_capacity: 8192 + 4096 });
});
