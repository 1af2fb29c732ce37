/**
 * Measurements that need a fresh process (run by bench/sim-common.ts, prints one JSON line):
 *   child.js e2e FILE          the end-to-end pipeline on FILE: wall time, peak RSS (process.resourceUsage().maxRSS)
 *   child.js bytes FILE AT_MS  (with --expose-gc) the world of FILE run to AT_MS: heap used + array buffers per live pod
 *   child.js phases FILE       what `cnisim run FILE --quiet` does, step by step, timed: start-up (process start to
 *                              the run's modules loaded, as the CLI imports them), load (read + validate + estimate),
 *                              simulate, write (CSV text + report.html + files written atomically to a temp dir)
 */
import { loadScenario } from '../src/index.js';
import { createWorld } from '../src/sim/assemble.js';
import { endToEnd, removeDir, tempDir } from './sim-common.js';

function mem(): number {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

async function main(): Promise<void> {
  const [what, file, at] = process.argv.slice(2);
  if (what === 'e2e') {
    const dir = tempDir();
    const t0 = performance.now();
    const { events } = await endToEnd(file!, dir);
    const wallMs = performance.now() - t0;
    removeDir(dir);
    console.log(JSON.stringify({ wallMs, maxRssMb: process.resourceUsage().maxRSS / 1024, events }));
    return;
  }
  if (what === 'bytes') {
    if (!(globalThis as { gc?: () => void }).gc) throw new Error('run with --expose-gc');
    const scenario = loadScenario(file!);
    const before = mem();
    const world = createWorld(scenario, scenario.modes[0]!);
    world.start();
    world.engine.run(Number(at));
    const after = mem();
    const live = world.pods.live;
    const table = world.pods.memoryBytes;
    const m = process.memoryUsage();
    console.log(JSON.stringify({
      livePods: live, heapUsed: m.heapUsed, arrayBuffers: m.arrayBuffers, bytesPerPod: (after - before) / live,
      podTableBytesPerPod: table / live, engineBytesPerPod: world.engine.memoryBytes / live,
    }));
    return;
  }
  if (what === 'phases') {
    // The modules `cnisim run` imports (src/cli.ts runLib), loaded the way it loads them: on demand.
    const [scenarioMod, sim, csv, html, estimate] = await Promise.all([
      import('../src/scenario/index.js'), import('../src/sim/run.js'), import('../src/report/csv.js'), import('../src/report/html.js'),
      import('../src/sim/estimate.js'), import('../src/report/table.js'), import('../src/report/progress.js'), import('../src/alloc/registry.js'),
    ]);
    const startupMs = performance.now(); // since the process started (performance.timeOrigin)
    let t = startupMs;
    const lap = (): number => {
      const n = performance.now();
      const d = n - t;
      t = n;
      return d;
    };
    const scenario = scenarioMod.loadScenario(file!);
    estimate.estimateRun(scenario);
    const loadMs = lap();
    const result = await sim.simulate(scenario);
    const simulateMs = lap();
    const dir = tempDir();
    const outputs = csv.resultFiles(result);
    outputs.set('report.html', html.renderReport(result, scenario));
    csv.writeFilesAtomically(dir, outputs);
    const writeMs = lap();
    removeDir(dir);
    const arrivals = result.summary.reduce((n, r) => n + (r.pool === '' ? r.pods_started : 0), 0); // cluster rows (pool rows repeat them)
    console.log(JSON.stringify({ startupMs, loadMs, simulateMs, writeMs, events: result.eventsProcessed, arrivals }));
    return;
  }
  throw new Error(`child.js: unknown measurement ${String(what)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
