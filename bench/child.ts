/**
 * Measurements that need a fresh process (run by bench/sim-common.ts, prints one JSON line):
 *   child.js e2e FILE          the end-to-end pipeline on FILE: wall time, peak RSS (process.resourceUsage().maxRSS)
 *   child.js bytes FILE AT_MS  (with --expose-gc) the world of FILE run to AT_MS: heap used + array buffers per live pod
 */
import { loadScenario } from '../src/index.js';
import { World } from '../src/sim/world.js';
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
    const world = new World(scenario, scenario.modes[0]!);
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
  throw new Error(`child.js: unknown measurement ${String(what)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
