/**
 * Generated input through the command line's run path (issue 8): ≥ 10,000 scenario files, valid and invalid, each
 * run through `exitCode(() => runCommand(...))` (what `runCli(['run', file, '--out', dir, '--quiet'])` does after
 * parsing the flags; a sample also goes through runCli itself). Every one either runs (exit 0, three CSV files) or
 * is refused with exit 2 and a message naming the file and the field (or, for a file-level problem, saying what
 * is wrong with the file), never a stack trace, and the output folder stays absent.
 *
 * CNISIM_CLI_FUZZ_RUNS sets the number of files (default 10,000); CNISIM_FUZZ_SEED the seed.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { exitCode, runCli, runCommand } from '../../src/cli.js';
import { MODE_NAMES } from '../../src/alloc/registry.js';
import { entries, STACK_LINE, tempDir } from '../cli/helpers.js';

const RUNS = Number(process.env['CNISIM_CLI_FUZZ_RUNS'] ?? 10_000);
const SEED = Number(process.env['CNISIM_FUZZ_SEED'] ?? 8_2024);
/** Files that also go through the whole command line (yargs costs ~10 ms a call, so only a share). */
const THROUGH_RUNCLI_EVERY = 100;

const dir = tempDir('cnisim-fuzz-');
const out = join(dir, 'out');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// ---- generators ----------------------------------------------------------------------------------------------

const w = <T>(weight: number, arbitrary: fc.Arbitrary<T>) => ({ weight, arbitrary });

/** Small scenarios that run in milliseconds: minutes of simulated time, a few nodes, tens of pods. */
const poolArb = (i: number) =>
  fc.record(
    {
      name: fc.constant(`p${i}`),
      count: fc.integer({ min: 0, max: 5 }),
      maxPods: fc.integer({ min: 10, max: 60 }),
      autoscaler: fc.record({ minCount: fc.constant(0), maxCount: fc.integer({ min: 3, max: 8 }) }),
    },
    { requiredKeys: ['name', 'count'] },
  );

const shortDuration = fc.oneof(fc.integer({ min: 0, max: 240 }), fc.constantFrom('0s', '30s', '1m', '90s', '3m'));

const eventArb = (pools: number) => {
  const pool = fc.integer({ min: 0, max: pools - 1 }).map((i) => `p${i}`);
  return fc.oneof(
    w(5, fc.record({ at: shortDuration, deploy: fc.record({ name: fc.constantFrom('web', 'api'), pool, replicas: fc.integer({ min: 0, max: 120 }) }) })),
    w(1, fc.record({ at: shortDuration, scale: fc.record({ name: fc.constant('web'), replicas: fc.integer({ min: 0, max: 120 }) }) })),
    w(2, fc.record({ from: fc.constant(0), to: fc.constantFrom('2m', '4m'), churn: fc.record({ pool, ratePerSecond: fc.double({ min: 0.05, max: 2, noNaN: true }), lifetime: fc.constantFrom('20s', '1m') }) })),
    w(2, fc.record({ at: shortDuration, nodes: fc.record({ pool, count: fc.integer({ min: 0, max: 6 }) }) })),
    w(1, fc.record({ at: shortDuration, daemonset: fc.record({ name: fc.constant('agent'), pool }) })),
  );
};

const scenarioArb: fc.Arbitrary<Record<string, unknown>> = fc.integer({ min: 1, max: 2 }).chain((npools) =>
  fc.record(
    {
      name: fc.constant('fz'),
      seed: fc.integer({ min: 0, max: 1000 }),
      duration: fc.constantFrom('2m', '5m', 300, '4m'),
      sampleEvery: fc.constantFrom('1m', 60, '2m'),
      modes: fc.subarray([...MODE_NAMES], { minLength: 1, maxLength: 2 }),
      placement: fc.constantFrom('spread', 'pack'),
      network: fc.record(
        {
          nodeSubnet: fc.constant('10.240.0.0/22'),
          podSubnet: fc.constant('10.241.0.0/22'),
          podCidr: fc.constantFrom('10.244.0.0/16', '192.168.0.0/16'),
          serviceCidr: fc.constant('10.0.0.0/16'),
          dnsServiceIp: fc.constant('10.0.0.10'),
        },
        { requiredKeys: ['nodeSubnet', 'podSubnet'] },
      ),
      nodePools: npools === 1 ? fc.tuple(poolArb(0)) : fc.tuple(poolArb(0), poolArb(1)),
      workload: fc.array(eventArb(npools), { maxLength: 3 }),
    },
    { requiredKeys: ['duration', 'nodePools', 'network', 'modes', 'sampleEvery'] },
  ),
);

/** Values that break things. */
const nasty = fc.oneof(
  fc.constantFrom(NaN, Infinity, -Infinity, -1, 0, 1e308, 2 ** 53, 0.5, 1e12),
  fc.constantFrom('', ' ', '10.0.0.0/33', '10.0.0.1/16', '300.1.1.1/8', '::/0', '5 minutes', '-5m', '9999999d', '1e400', 'NaN', '%', '10.240.0.0/22'),
  fc.string({ maxLength: 12 }),
  fc.constantFrom('x'.repeat(5000), '🙂'.repeat(300)),
  fc.constantFrom(null, true, false, [], {}, [[[]]]),
  fc.integer({ min: 1, max: 50 }).map((depth) => {
    let v: unknown = 1;
    for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { a: v };
    return v;
  }),
);

type Json = Record<string, unknown> | unknown[];

/** Every (container, key) slot, with its path as the validator writes it (`nodePools[0].count`). */
function slots(root: unknown): { container: Json; key: string | number; path: string }[] {
  const found: { container: Json; key: string | number; path: string }[] = [];
  const walk = (v: unknown, path: string) => {
    if (Array.isArray(v)) v.forEach((item, i) => (found.push({ container: v, key: i, path: `${path}[${i}]` }), walk(item, `${path}[${i}]`)));
    else if (v !== null && typeof v === 'object') {
      for (const k of Object.keys(v)) {
        const p = path === '' ? k : `${path}.${k}`;
        found.push({ container: v as Record<string, unknown>, key: k, path: p });
        walk((v as Record<string, unknown>)[k], p);
      }
    }
  };
  walk(root, '');
  return found;
}

function setOwn(container: Json, key: string | number, value: unknown): void {
  Object.defineProperty(container, key, { value, enumerable: true, writable: true, configurable: true });
}

/** What a file must produce beyond "0, or 2 naming file and field". */
interface Expect {
  /** The run must be refused (2). */
  refused?: boolean;
  /** Text the message must hold. */
  mentions?: string[];
  /** A field the message must name (`<file>: <field>…`, e.g. `modes[0]` for `modes`). */
  field?: string;
}

interface Case {
  kind: string;
  /** File content; null for "the path is a directory". */
  content: string | Uint8Array | null;
  ext: 'yaml' | 'json';
  expect: Expect;
}

const yamlOf = (v: unknown) => YAML.stringify(v, { aliasDuplicateObjects: false });

const validCase = fc.tuple(scenarioArb, fc.boolean()).map(([s, json]): Case => ({
  kind: 'valid', content: json ? JSON.stringify(s) : yamlOf(s), ext: json ? 'json' : 'yaml', expect: {},
}));

type Mutation = { op: 'set' | 'delete' | 'addKey'; pick: number; value: unknown; key: string };
const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom('set', 'set', 'delete', 'addKey'),
  pick: fc.nat(),
  value: nasty,
  key: fc.constantFrom('extra', '__proto__', 'constructor', 'prototype', 'at', 'count'),
});

const mutatedCase = fc.tuple(scenarioArb, fc.array(mutationArb, { minLength: 1, maxLength: 3 })).map(([s, muts]): Case => {
  let proto = false;
  for (const m of muts) {
    const all = slots(s);
    const slot = all[m.pick % all.length]!;
    if (m.op === 'set') setOwn(slot.container, slot.key, m.value);
    else if (m.op === 'delete') {
      if (Array.isArray(slot.container)) slot.container.splice(slot.key as number, 1);
      else delete slot.container[slot.key as string];
    } else if (!Array.isArray(slot.container) && slot.container !== null) {
      setOwn(slot.container, m.key, m.value);
      if (m.key === '__proto__' || m.key === 'constructor' || m.key === 'prototype') proto = true;
    }
  }
  // A forbidden key is refused wherever it lands (unless a later mutation deleted or replaced its mapping).
  const stillProto = proto && slots(s).some((x) => x.key === '__proto__' || x.key === 'constructor' || x.key === 'prototype');
  return { kind: 'mutated', content: yamlOf(s), ext: 'yaml', expect: stillProto ? { refused: true } : {} };
});

/** A known field set to a wrong value: refused, and the message names that field. */
const TARGETS: [path: string, values: unknown[]][] = [
  ['duration', [NaN, Infinity, -1, '-5m', '9999999d', '5 minutes', 'x'.repeat(3000), 1e12, null, [], {}]],
  ['sampleEvery', [0, '-1m', NaN, 'soon']],
  ['nodePools[0].count', [NaN, -1, 1.5, Infinity, 'three', 1e9]],
  ['nodePools[0].maxPods', [0, 1e6, NaN, -Infinity, '30 pods']],
  ['network.nodeSubnet', ['10.240.0.0/33', '10.240.0.1/22', '300.1.1.1/8', '', 'x'.repeat(1000), 42, '10.240.0.0']],
  ['network.podSubnet', ['10.241.0.0/40', 'fe80::/64', '10.241.0.0']],
  ['modes', [[], ['overlay', 'overlay'], ['overlayy'], 'overlay,azure', [NaN]]],
  ['nodePools', [[], {}, 'user']],
];
const targetedCase = fc.tuple(scenarioArb, fc.integer({ min: 0, max: TARGETS.length - 1 }), fc.nat()).map(([s, ti, vi]): Case => {
  const [path, values] = TARGETS[ti]!;
  const value = values[vi % values.length];
  // Parents exist (network and nodePools[0] are always generated); the field itself may be optional.
  const keys = path.replace(/\[(\d+)\]/g, '.$1').split('.');
  let container = s as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) container = container[k] as Record<string, unknown>;
  setOwn(container, keys[keys.length - 1]!, value);
  return { kind: `targeted ${path}`, content: yamlOf(s), ext: 'yaml', expect: { refused: true, field: path } };
});

/** A key misspelt the way people do (lower case, a letter dropped): refused with a suggestion of the real key. */
const NEAR_MISS: [path: string, wrong: string][] = [
  ['nodePools[0].maxPods', 'maxpods'], ['nodePools[0].count', 'cont'], ['duration', 'durration'], ['nodePools', 'nodepools'],
  ['network.nodeSubnet', 'nodesubnet'], ['network.podSubnet', 'podSubnett'], ['sampleEvery', 'sampleevery'], ['modes', 'mode'],
];
const nearMissCase = fc.tuple(scenarioArb, fc.integer({ min: 0, max: NEAR_MISS.length - 1 })).map(([s, i]): Case => {
  const [path, wrong] = NEAR_MISS[i]!;
  const slot = slots(s).find((x) => x.path === path);
  if (slot === undefined || Array.isArray(slot.container)) return { kind: 'valid', content: yamlOf(s), ext: 'yaml', expect: {} };
  const right = slot.key as string;
  const copy: Record<string, unknown> = {};
  for (const k of Object.keys(slot.container)) copy[k === right ? wrong : k] = slot.container[k];
  for (const k of Object.keys(slot.container)) delete slot.container[k];
  Object.assign(slot.container, copy);
  return { kind: `near miss ${wrong}`, content: yamlOf(s), ext: 'yaml', expect: { refused: true, mentions: [`unknown key "${wrong}": did you mean "${right}"?`] } };
});

/** Whole-file trouble: empty, binary, bombs, nesting, long strings, prototype keys, not a mapping, a directory. */
const fileCase: fc.Arbitrary<Case> = fc.oneof(
  fc.constantFrom('', ' \n\t\n', '# only a comment\n', '---\n', '~', 'null', '[]', '42', '"text"', 'a: 1\n---\nb: 2\n', '{"duration": "1h",}', 'duration: [1h\n', 'duration: 1h\nduration: 2h\n')
    .map((content): Case => ({ kind: 'file text', content, ext: 'yaml', expect: { refused: true } })),
  fc.uint8Array({ minLength: 1, maxLength: 300 }).map((content): Case => ({ kind: 'binary', content, ext: 'yaml', expect: {} })),
  fc.integer({ min: 3, max: 9 }).map((levels): Case => {
    let text = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < levels; i++) text += `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]\n`;
    return { kind: 'alias bomb', content: `${text}duration: 1h\nnodePools: [{name: u}]\n`, ext: 'yaml', expect: { refused: true, mentions: ['alias'] } };
  }),
  fc.tuple(fc.integer({ min: 30, max: 400 }), fc.boolean()).map(([depth, flow]): Case => ({
    kind: 'deep nesting',
    content: flow ? `duration: 1h\nnodePools: ${'['.repeat(depth)}${']'.repeat(depth)}\n` : `duration: 1h\nx:\n${Array.from({ length: depth }, (_, i) => `${'  '.repeat(i + 1)}k:`).join('\n')} 1\n`,
    ext: 'yaml', expect: { refused: true },
  })),
  fc.integer({ min: 1_000, max: 200_000 }).map((n): Case => ({ kind: 'long string', content: `name: ${'n'.repeat(n)}\nduration: 1h\nnodePools: [{name: u}]\n`, ext: 'yaml', expect: { refused: true, mentions: ['name: '] } })),
  fc.constantFrom('__proto__', 'constructor', 'prototype').map((key): Case => ({
    kind: 'prototype key', content: `duration: 1h\nnodePools:\n  - name: u\n    ${key}: {polluted: true}\n`, ext: 'yaml', expect: { refused: true, mentions: [`"${key}" is not allowed`] },
  })),
  fc.constant<Case>({ kind: 'directory', content: null, ext: 'yaml', expect: { refused: true, mentions: ['is a directory'] } }),
);

const caseArb: fc.Arbitrary<Case> = fc.oneof(
  w(7, validCase),
  w(6, mutatedCase),
  w(3, targetedCase),
  w(2, nearMissCase),
  w(2, fileCase),
);

// ---- the property --------------------------------------------------------------------------------------------

/** A message line: "<file>: <path>: …" or "<file>: <what is wrong with the file>". */
// A path, optionally followed by the value the validator used for it: `network.podCidr (cilium-cluster-pool's default 10.0.0.0/8)`.
const PATH = String.raw`[A-Za-z_$][\w$-]*(?:\[\d+\]|\.[^\s:.\[]+)*(?: \([^()]*'s default [^()]*\))?`;
const FILE_LEVEL = [
  'is empty', 'is a directory', 'looks like a binary file', 'is not UTF-8 text', 'cannot be parsed as YAML', 'YAML: ', 'holds ',
  'uses YAML aliases', 'nests brackets', 'is nested too deeply', 'expected a scenario', 'this run would', 'cannot be read',
];

function checkMessage(file: string, stderr: string): void {
  const lines = stderr.split('\n').filter((l) => l !== '' && !l.startsWith('warning: '));
  expect(lines.length).toBeGreaterThan(0);
  expect(lines[0]!.startsWith(`cnisim: ${file}: `)).toBe(true);
  for (const line of lines) {
    const rest = line.replace(/^cnisim: /, '');
    expect(rest.startsWith(`${file}: `), line).toBe(true);
    const what = rest.slice(file.length + 2);
    const named = new RegExp(`^${PATH}: `).test(what) || FILE_LEVEL.some((f) => what.startsWith(f));
    expect(named, `names no field: ${line}`).toBe(true);
  }
}

describe(`${RUNS.toLocaleString('en-US')} generated scenario files through the run command`, () => {
  let stdout = '';
  let stderr = '';
  beforeAll(() => {
    vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((stdout += String(c)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((stderr += String(c)), true));
    mkdirSync(join(dir, 'a-directory.yaml'));
  });
  afterAll(() => vi.restoreAllMocks());

  test('each runs (0) or is refused (2) naming the file and the field; no stack trace; nothing written on refusal', async () => {
    const tally = new Map<string, number>();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        n++;
        const file = c.content === null ? join(dir, 'a-directory.yaml') : join(dir, `case.${c.ext}`);
        if (c.content !== null) writeFileSync(file, c.content);
        stdout = '';
        stderr = '';
        const code = n % THROUGH_RUNCLI_EVERY === 0
          ? await runCli(['run', file, '--out', out, '--quiet'])
          : await exitCode(() => runCommand({ scenario: file, out, quiet: true }));
        tally.set(`${c.kind.split(' ')[0]} ${code}`, (tally.get(`${c.kind.split(' ')[0]} ${code}`) ?? 0) + 1);
        expect(stderr).not.toMatch(STACK_LINE);
        expect(stdout).toBe('');
        if (code === 0) {
          expect(c.expect.refused ?? false, `accepted: ${c.kind}`).toBe(false);
          expect(entries(out)).toEqual(['events.csv', 'report.html', 'summary.csv', 'timeseries.csv']);
          expect(stderr.split('\n').filter((l) => l !== '' && !l.startsWith('warning: '))).toEqual([]);
          rmSync(out, { recursive: true });
        } else {
          expect(code, stderr).toBe(2);
          checkMessage(file, stderr);
          for (const m of c.expect.mentions ?? []) expect(stderr).toContain(m);
          if (c.expect.field !== undefined) expect(stderr).toContain(`${file}: ${c.expect.field}`);
          expect(entries(out)).toEqual([]);
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    const count = (prefix: string) => [...tally].filter(([k]) => k.startsWith(prefix)).reduce((s, [, v]) => s + v, 0);
    // Not vacuous: many files ran, many were refused, every kind was generated.
    expect(n).toBe(RUNS);
    expect(count('valid 0') + count('mutated 0')).toBeGreaterThan(RUNS * 0.2);
    expect(count('targeted 2') + count('near 2') + count('file') + count('binary') + count('alias') + count('deep')).toBeGreaterThan(RUNS * 0.2);
    for (const kind of ['valid', 'mutated', 'targeted', 'near', 'binary', 'alias', 'deep', 'long', 'prototype', 'directory']) expect(count(kind), kind).toBeGreaterThan(0);
  }, 240_000); // ~40 s on a quiet 2-core machine; four times that under load
});
