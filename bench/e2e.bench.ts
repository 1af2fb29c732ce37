/**
 * Suite `e2e` (issue 6): the whole simulator as `cnisim run` drives it — load the scenario, place, allocate,
 * sample, build the CSV text and write it to a temp dir — on the two bundled 1M-pod scenarios.
 *
 *   churn         events/s end to end; baseline: the bare loop (typed heap + typed pod table) doing the very same
 *                 arrivals and departures (same streams, same draws), in the same process. Target ≥ 2M events/s
 *                 and ratio ≥ 1 / 1.5.
 *   million-pods  pods placed per second end to end; baseline: a bare typed placement of the same pods.
 *   million-pods (fresh process)  the same in a child `node` (startup and module loading included): its wall time
 *                 and peak RSS (process.resourceUsage().maxRSS) are printed and written to results/e2e.json, with
 *                 the bytes per live pod at the churn peak (heap used + array buffers, after gc, child process).
 * Targets: million-pods ≤ 3 s wall, ≤ 250 MB RSS; ≤ 64 bytes per live pod.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectEq, type BenchCase } from './harness.js';
import { loadScenario } from '../src/index.js';
import {
  ROOT, bareChurn, barePlace, bytesPerLivePod, churnShape, endToEnd, measureInChild, removeDir, scenarioPath, tempDir,
  type ChildFigures, type PodBytes,
} from './sim-common.js';

const CHURN_PEAK_MS = 1_000_000;
const MILLION = 1_000_000;

function check(what: string, ok: boolean): void {
  if (!ok) throw new Error(`bench check failed: ${what}`);
}

/** One temp dir for every case's CSV files, removed at exit. */
let dir = '';
function outDir(): string {
  if (!dir) dir = tempDir();
  return dir;
}
const figures: { millionPods?: ChildFigures; churn?: ChildFigures; churnBytes?: PodBytes } = {};

function churnCase(): BenchCase {
  const file = scenarioPath('churn');
  const shape = churnShape(loadScenario(file));
  const c: BenchCase = {
    suite: 'e2e',
    name: 'churn 1M arrivals (events/s) vs bare typed loop',
    ops: 0,
    baselineOps: 0,
    timeMs: 4000,
    interleave: true,
    check: async () => {
      const r = await endToEnd(file, outDir());
      expectEq('churn: CSV files written', r.files, 3);
      const b = bareChurn(shape);
      // The world's events: the node joins, the churn workload event, then the same arrivals and departures.
      expectEq('churn: simulator events = joins + workload + bare arrivals + departures', r.events, shape.nodes + 1 + b.arrivals + b.departures);
      expectEq('churn: peak pods running = bare peak', r.maxPodsRunning, b.peakLive);
      check(`churn: ${b.arrivals} arrivals, expected about 1M (gaps are rounded to whole ms)`, b.arrivals > 950_000 && b.arrivals < 1_100_000);
      c.ops = r.events;
      c.baselineOps = b.arrivals + b.departures;
    },
    subject: { fn: async () => void (await endToEnd(file, outDir())) },
    baseline: { fn: () => void bareChurn(shape) },
  };
  return c;
}

function millionCase(): BenchCase {
  const file = scenarioPath('million-pods');
  return {
    suite: 'e2e',
    name: 'million-pods 4,000 × 250 static-block (pods/s) vs bare placement',
    ops: MILLION,
    timeMs: 3000,
    interleave: true,
    check: async () => {
      const r = await endToEnd(file, outDir());
      expectEq('million-pods: pods running', r.maxPodsRunning, MILLION);
      expectEq('million-pods: bare placed', barePlace(MILLION, 4000, 250), MILLION);
    },
    subject: { fn: async () => void (await endToEnd(file, outDir())) },
    baseline: { fn: () => void barePlace(MILLION, 4000, 250) },
  };
}

/** One child run per call: ops/s = pods per wall second of a fresh process; figures recorded at check. */
function childCase(): BenchCase {
  return {
    suite: 'e2e',
    name: 'million-pods in a fresh process (pods/s incl. startup)',
    ops: MILLION,
    timeMs: 1,
    check: () => {
      const m = measureInChild('million-pods');
      const ch = measureInChild('churn');
      const bytes = bytesPerLivePod('churn', CHURN_PEAK_MS);
      check('million-pods child: events', m.events > 4000);
      check('churn bytes: live pods at the peak', bytes.livePods > 600_000);
      figures.millionPods = m;
      figures.churn = ch;
      figures.churnBytes = bytes;
      console.log(`  million-pods (child): ${(m.wallMs / 1000).toFixed(2)} s wall, ${m.maxRssMb.toFixed(0)} MB peak RSS`);
      console.log(`  churn (child): ${(ch.wallMs / 1000).toFixed(2)} s wall, ${(ch.events / (ch.wallMs / 1000) / 1e6).toFixed(2)}M events/s, ${ch.maxRssMb.toFixed(0)} MB peak RSS`);
      console.log(`  churn at ${CHURN_PEAK_MS / 1000} s: ${bytes.livePods} live pods, ${bytes.bytesPerPod.toFixed(1)} bytes/pod ` +
        `(pod table ${bytes.podTableBytesPerPod.toFixed(1)}, engine ${bytes.engineBytesPerPod.toFixed(1)})`);
      const out = join(ROOT, 'results');
      mkdirSync(out, { recursive: true });
      writeFileSync(join(out, 'e2e.json'), JSON.stringify(figures, null, 2) + '\n');
    },
    subject: { fn: () => void measureInChild('million-pods') },
  };
}

export function cases(): BenchCase[] {
  return [churnCase(), millionCase(), childCase()];
}

process.on('exit', () => {
  if (dir) removeDir(dir);
});
