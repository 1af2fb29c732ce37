/**
 * The event engine against a naive reference (an array searched for the least (time, seq) at every step): random
 * programs of schedules, same-time events, cancels (of pending, run and cancelled events), events scheduled and
 * cancelled from handlers, and run(until) in pieces versus all at once. Also: the calendar's two sorts, new
 * years from the far list, growth, memory per event, handles that must not alias recycled slots, stop(), and input
 * checks.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Engine, type EngineOptions } from '../../src/engine/index.js';
import type { Clock } from '../../src/alloc/types.js';
import { CnisimError } from '../../src/errors.js';

/** What the driver needs from an engine (the real one and the reference both provide it). */
interface EngineLike {
  readonly now: number;
  readonly pending: number;
  readonly processed: number;
  define(h: (arg: number) => void): number;
  schedule(delay: number, kind: number, arg: number): number;
  cancel(handle: number): boolean;
  run(until: number): void;
}

/** The reference: every event in one array; dispatch = linear search for the least (time, seq). */
class NaiveEngine implements EngineLike {
  now = 0;
  pending = 0;
  processed = 0;
  private seq = 0;
  private readonly handlers: ((arg: number) => void)[] = [];
  private readonly events: { time: number; seq: number; kind: number; arg: number; state: 'pending' | 'done' }[] = [];
  define(h: (arg: number) => void): number {
    this.handlers.push(h);
    return this.handlers.length - 1;
  }
  schedule(delay: number, kind: number, arg: number): number {
    this.events.push({ time: this.now + delay, seq: this.seq++, kind, arg, state: 'pending' });
    this.pending++;
    return this.events.length - 1;
  }
  cancel(handle: number): boolean {
    const e = this.events[handle];
    if (e === undefined || e.state !== 'pending') return false;
    e.state = 'done';
    this.pending--;
    return true;
  }
  run(until: number): void {
    for (;;) {
      let best = -1;
      for (let i = 0; i < this.events.length; i++) {
        const e = this.events[i]!;
        if (e.state !== 'pending' || e.time > until) continue;
        const b = this.events[best];
        if (b === undefined || e.time < b.time || (e.time === b.time && e.seq < b.seq)) best = i;
      }
      if (best < 0) break;
      const e = this.events[best]!;
      e.state = 'done';
      this.pending--;
      this.processed++;
      this.now = e.time;
      this.handlers[e.kind]!(e.arg);
    }
    if (until !== Infinity) this.now = until;
  }
}

/** A random program: initial events, what each event does when it runs, and where run() stops. */
interface Program {
  initial: number[];
  /** Event id i (in order of scheduling) schedules children with these delays (ids ≥ MAX_EVENTS spawn nothing)… */
  children: number[][];
  /** …and cancels the event with this id (by handle; it may be pending, run, cancelled or not yet scheduled). */
  cancels: number[];
  /** run(until) stops; the last is Infinity. */
  stops: number[];
}

const MAX_EVENTS = 60;

const delay = fc.oneof(fc.constantFrom(0, 0, 1, 5), fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 2_000_000 }));
const program: fc.Arbitrary<Program> = fc.record({
  initial: fc.array(delay, { minLength: 1, maxLength: 25 }),
  children: fc.array(fc.array(delay, { maxLength: 3 }), { minLength: MAX_EVENTS, maxLength: MAX_EVENTS }),
  cancels: fc.array(fc.integer({ min: -1, max: MAX_EVENTS }), { minLength: MAX_EVENTS, maxLength: MAX_EVENTS }),
  stops: fc.array(fc.integer({ min: 0, max: 3_000_000 }), { maxLength: 5 }).map((a) => [...a.sort((x, y) => x - y), Infinity]),
});

/**
 * Runs the program; returns a log of dispatches (time:id), cancel results and counters after each run() piece.
 * With `warm`, the kind gets a warm hint over a table of 2-word records (it must change nothing).
 */
function drive(e: EngineLike, p: Program, pieces: boolean, warm = false): string[] {
  const log: string[] = [];
  const handles: number[] = [];
  let nextId = 0;
  const add = (d: number): void => {
    const id = nextId++;
    handles[id] = e.schedule(d, kind, id);
  };
  const kind = e.define((id) => {
    log.push(`${e.now}:${id}`);
    if (id >= MAX_EVENTS) return;
    // At most 40 pending, so 6 sequence bits (62 pending at most) always suffice.
    for (const d of p.children[id]!) if (nextId < 4 * MAX_EVENTS && e.pending < 40) add(d);
    const c = p.cancels[id]!;
    if (c >= 0 && handles[c] !== undefined) log.push(`cancel ${c} ${e.cancel(handles[c]!)}`);
  });
  if (warm && e instanceof Engine) {
    const table = new Int32Array(2 * 4 * MAX_EVENTS);
    e.warm(kind, 1, () => table);
  }
  for (const d of p.initial) add(d);
  // Cancel one initial event up front too (same index for both engines).
  if (p.cancels[0]! >= 0 && handles[p.cancels[0]! % p.initial.length] !== undefined) {
    log.push(`cancel0 ${e.cancel(handles[p.cancels[0]! % p.initial.length]!)}`);
  }
  const stops = pieces ? p.stops : [Infinity];
  for (const until of stops) {
    e.run(Math.max(until, e.now));
    if (until !== Infinity) log.push(`run ${until} now=${e.now}`);
  }
  log.push(`end now=${e.now} pending=${e.pending} processed=${e.processed}`);
  return log;
}

/** Dispatches only (times and ids), for comparing a piecewise run with a whole one. */
function dispatches(log: string[]): string[] {
  return log.filter((l) => /^\d+:\d+$/.test(l) || l.startsWith('cancel'));
}

const configs: [string, EngineOptions][] = [
  ['default options', {}],
  ['tiny capacity (growth)', { initialCapacity: 0 }],
  // Years of 4 × 1 ms and 16 × 16 ms: most events wait in the far list and move through many new years.
  ['1 ms buckets, 4 a year (far list, many years)', { bucketBits: 0, yearBits: 2, initialCapacity: 0 }],
  ['16 ms buckets, 16 a year', { bucketBits: 4, yearBits: 4 }],
  // Two buckets a year, widths re-chosen at every year from the far events.
  ['adaptive width, 2 buckets a year', { yearBits: 1 }],
  // 4 ms buckets: even one event is dense enough for the counting sort; 2^20 ms: every bucket sorts keys.
  ['4 ms buckets (counting sort)', { bucketBits: 2 }],
  ['17-minute buckets, 1,024 a year (key sort, near queue)', { bucketBits: 20, yearBits: 10 }],
];

describe('Engine: order against a naive reference', () => {
  for (const [name, opts] of configs) {
    it(`matches the reference (${name})`, () => {
      let years = 0;
      fc.assert(
        fc.property(program, (p) => {
          const want = drive(new NaiveEngine(), p, true);
          const engine = new Engine(opts);
          const got = drive(engine, p, true);
          years += engine.yearsStarted;
          expect(got).toEqual(want);
          // run(until) in pieces dispatches exactly what one run(Infinity) does.
          expect(dispatches(drive(new Engine(opts), p, false))).toEqual(dispatches(want));
          // A warm hint changes nothing.
          expect(drive(new Engine(opts), p, true, true)).toEqual(want);
        }),
        { numRuns: 150 },
      );
      // The configurations with short years did move events through new years (so that path met the reference).
      if ((opts.yearBits ?? 12) <= 4) expect(years).toBeGreaterThan(150);
    });
  }

  it('dispatches same-time events in scheduling order, incl. ones scheduled from handlers at delay 0', () => {
    const e = new Engine();
    const seen: number[] = [];
    const k = e.define((a) => {
      seen.push(a);
      if (a < 3) e.schedule(0, k, a + 10);
    });
    for (let i = 0; i < 5; i++) e.schedule(7, k, i);
    e.run(100);
    expect(seen).toEqual([0, 1, 2, 3, 4, 10, 11, 12]);
    expect(e.now).toBe(100);
  });
});

/** Schedules `times` (absolute) in order as args 0, 1, …; returns the args in dispatch order with their times. */
function dispatchOrder(e: Engine, times: number[]): [number, number][] {
  const seen: [number, number][] = [];
  const k = e.define((a) => seen.push([e.now, a]));
  times.forEach((t, i) => e.postAt(t, k, i));
  e.run(Infinity);
  return seen;
}

/** The expected order: by time, then by scheduling order (a stable sort). */
function expectedOrder(times: number[]): [number, number][] {
  return times.map((t, i): [number, number] => [t, i]).sort((x, y) => x[0] - y[0] || x[1] - y[1]);
}

describe('Engine: calendar', () => {
  it('warm: reads the table of every bucket it opens, in (time, scheduling order) as without the hint', () => {
    const times = Array.from({ length: 2000 }, (_, i) => (i * 7919) % 1000);
    const e = new Engine({ bucketBits: 4 });
    const seen: [number, number][] = [];
    const k = e.define((a) => seen.push([e.now, a]));
    const other = e.define(() => undefined);
    let opened = 0;
    const table = new Int32Array(2000 << 2);
    e.warm(k, 2, () => {
      opened++;
      return table;
    });
    // Direct-handle and plain events of the kind, and events of another kind, in the same buckets.
    times.forEach((t, i) => (i % 2 ? e.postAt(t, k, i) : e.at(t, k, i)));
    times.forEach((t) => e.postAt(t, other, 5_000_000));
    e.run(Infinity);
    expect(seen).toEqual(expectedOrder(times));
    expect(opened).toBe(Math.ceil(1000 / 16)); // one call per 16 ms bucket opened
    expect(() => e.warm(99, 2, () => table)).toThrow(/event kind 99 was not defined/);
    expect(() => e.warm(k, 9, () => table)).toThrow(/shift 9: expected an integer 0\.\.8/);
  });

  it('orders one bucket by time, then scheduling order: crowded (counting sort), sparse (insertion), clustered (key sort)', () => {
    // 1,024 ms buckets: up to 3,000 events over the whole bucket, or clustered in its first 16 ms (sub-buckets of
    // several ms holding more than 16 events).
    const time = fc.oneof(fc.integer({ min: 0, max: 1023 }), fc.integer({ min: 0, max: 15 }));
    fc.assert(
      fc.property(fc.array(time, { minLength: 1, maxLength: 3000 }), (times) => {
        expect(dispatchOrder(new Engine({ bucketBits: 10 }), times)).toEqual(expectedOrder(times));
      }),
      { numRuns: 60 },
    );
  });

  it('moves far events into a new year in scheduling order and re-chooses the bucket width from them', () => {
    const e = new Engine();
    expect(e.bucketMs).toBe(1024);
    const times = [5, 2 ** 40, 5, 2 ** 40 + 3, 2 ** 40, 2 ** 53 - 1];
    expect(dispatchOrder(e, times)).toEqual(expectedOrder(times));
    expect(e.yearsStarted).toBe(2);
    expect(e.now).toBe(2 ** 53 - 1);
  });

  it('keeps the order over many years with a million-scale spread of delays', () => {
    // A steady state: 20,000 pending, each dispatch schedules one more 0..2^22 ms later; ids grow with scheduling.
    const e = new Engine({ initialCapacity: 0 });
    let id = 0, bad = 0, lastT = -1, lastId = -1, x = 12345;
    const rand = (): number => (x = (x * 1103515245 + 12345) % 2 ** 31) % 2 ** 22;
    const k = e.define((a) => {
      if (e.now < lastT || (e.now === lastT && a <= lastId)) bad++;
      lastT = e.now;
      lastId = a;
      if (id < 200_000) e.post(rand(), k, id++);
    });
    for (let i = 0; i < 20_000; i++) e.post(rand(), k, id++);
    e.run(Infinity);
    expect(bad).toBe(0);
    expect(e.processed).toBe(200_000);
    expect(e.yearsStarted).toBeGreaterThan(0);
    expect(e.pending).toBe(0);
  });

  it('holds 16 to 28 bytes per pending event at 200,000 pending', () => {
    const e = new Engine({ initialCapacity: 0 });
    const k = e.define(() => undefined);
    for (let i = 0; i < 200_000; i++) e.post((i * 7919) % 3_000_000, k, i);
    const perEvent = e.memoryBytes / 200_000;
    expect(perEvent).toBeGreaterThanOrEqual(16);
    expect(perEvent).toBeLessThanOrEqual(28);
  });

  it('keeps cancel handles of near-queue events valid while the near queue grows', () => {
    // 4-minute buckets: what handlers schedule within the open bucket goes to the near queue (64 slots, slot =
    // seq mod capacity). A chain of 70 one-ms events pushes seq past 64 while few are pending; then a burst of 40
    // makes the queue grow, which moves every event whose seq has bit 6 set: their handles must follow them.
    const e = new Engine({ bucketBits: 18 });
    const ran: number[] = [];
    const handles = new Map<number, number>();
    const k = e.define((a) => ran.push(a));
    const chain = e.define((i) => {
      if (i < 70) e.post(1, chain, i + 1);
      else for (let j = 0; j < 40; j++) handles.set(1000 + j, e.schedule(100 + j, k, 1000 + j));
    });
    const start = e.define(() => {
      for (let j = 0; j < 30; j++) handles.set(j, e.schedule(5000 + j, k, j));
      e.post(1, chain, 1);
    });
    e.postAt(0, start, -1);
    e.run(71);
    expect(e.pending).toBe(70);
    const cancelled = [...handles.keys()].filter((a) => a % 2 === 1);
    for (const a of cancelled) expect(e.cancel(handles.get(a)!)).toBe(true);
    for (const a of cancelled) expect(e.cancel(handles.get(a)!)).toBe(false);
    e.run(Infinity);
    const kept = [...handles.keys()].filter((a) => a % 2 === 0);
    expect(ran).toEqual([...kept.filter((a) => a >= 1000), ...kept.filter((a) => a < 1000)]);
  });

  it('schedules before an open bucket whose events were all cancelled (the clock never reached it)', () => {
    const e = new Engine();
    const ran: number[] = [];
    const k = e.define((a) => ran.push(a));
    const h = e.schedule(5000, k, 1);
    e.cancel(h);
    expect(e.step()).toBe(false); // opens (and skips) the bucket of t = 5000 while now stays 0
    e.schedule(10, k, 2);
    e.schedule(4999, k, 3);
    e.run(Infinity);
    expect(ran).toEqual([2, 3]);
  });
});

describe('Engine: handles, cancel, stop', () => {
  it('a handle never aliases a recycled slot', () => {
    const e = new Engine({ initialCapacity: 0 });
    const ran: number[] = [];
    const k = e.define((a) => ran.push(a));
    const h1 = e.schedule(1, k, 1);
    e.run(1);
    const h2 = e.schedule(1, k, 2); // reuses the slot and the handle slot of event 1
    expect(h2).not.toBe(h1);
    expect(e.cancel(h1)).toBe(false);
    expect(e.pending).toBe(1);
    e.run(10);
    expect(ran).toEqual([1, 2]);
    expect(e.cancel(h2)).toBe(false);
  });

  it('a direct (calendar) handle goes stale when its record is reused by another handled event', () => {
    const e = new Engine({ initialCapacity: 0 });
    const ran: number[] = [];
    const k = e.define((a) => ran.push(a));
    const hA = e.schedule(2000, k, 1); // beyond the first bucket: filed in the calendar (odd, direct handle)
    expect(hA % 2).toBe(1);
    e.run(2000);
    e.at(3000, k, 9); // its bucket opens next, which frees A's bucket's block
    e.run(4000);
    const hB = e.at(5000, k, 2); // takes a free block: the record A had
    expect(hB % 2).toBe(1);
    expect((hB - 1) / 2 % 2 ** 26).toBe((hA - 1) / 2 % 2 ** 26); // same record…
    expect(hB).not.toBe(hA); // …another generation
    expect(e.cancel(hA)).toBe(false);
    expect(e.pending).toBe(1);
    expect(e.cancel(hB)).toBe(true);
    expect(e.cancel(hB)).toBe(false);
    e.run(Infinity);
    expect(ran).toEqual([1, 9]);
  });

  it('cancel: true once for a pending event, false after, false for garbage', () => {
    const e = new Engine();
    const ran: number[] = [];
    const k = e.define((a) => ran.push(a));
    const h = e.schedule(5, k, 1);
    e.schedule(5, k, 2);
    expect(e.pending).toBe(2);
    expect(e.cancel(h)).toBe(true);
    expect(e.cancel(h)).toBe(false);
    expect(e.pending).toBe(1);
    for (const bad of [-1, 0.5, NaN, Infinity, 2 ** 60, h + 2 ** 26]) expect(e.cancel(bad)).toBe(false);
    e.run(Infinity);
    expect(ran).toEqual([2]);
    expect(e.processed).toBe(1);
  });

  it('an event cancelled by its own handler is not double-counted', () => {
    const e = new Engine();
    let h = -1;
    const results: boolean[] = [];
    const k = e.define(() => results.push(e.cancel(h)));
    h = e.schedule(1, k, 0);
    e.run(5);
    expect(results).toEqual([false]);
    expect(e.pending).toBe(0);
  });

  it('stop() makes run() return after the current event; resume() continues', () => {
    const e = new Engine();
    const ran: number[] = [];
    const k = e.define((a) => {
      ran.push(a);
      if (a === 2) e.stop();
    });
    for (let i = 1; i <= 4; i++) e.schedule(i, k, i);
    e.run(100);
    expect(ran).toEqual([1, 2]);
    expect(e.now).toBe(2);
    expect(e.stopped).toBe(true);
    e.run(100);
    expect(ran).toEqual([1, 2]);
    e.resume();
    e.run(100);
    expect(ran).toEqual([1, 2, 3, 4]);
    expect(e.now).toBe(100);
  });

  it('step() dispatches one event, skipping cancelled ones', () => {
    const e = new Engine();
    const ran: number[] = [];
    const k = e.define((a) => ran.push(a));
    const h = e.schedule(1, k, 1);
    e.at(3, k, 3);
    e.cancel(h);
    expect(e.step()).toBe(true);
    expect(ran).toEqual([3]);
    expect(e.now).toBe(3);
    expect(e.step()).toBe(false);
  });

  it('rejects fractional, negative and NaN delays, times in the past, unknown kinds and re-entrant run()', () => {
    const e = new Engine();
    const k = e.define(() => e.run(10));
    for (const bad of [0.5, -1, NaN, Infinity, 2 ** 53]) expect(() => e.schedule(bad, k, 0)).toThrow(CnisimError);
    expect(() => e.schedule(1, 7, 0)).toThrow(/kind 7/);
    e.run(5);
    expect(() => e.at(4, k, 0)).toThrow(/≥ now/);
    expect(() => e.run(4)).toThrow(CnisimError);
    e.at(6, k, 0);
    expect(() => e.run(10)).toThrow(/inside an event handler/);
    expect(() => new Engine({ bucketBits: 21 })).toThrow(/bucketBits/);
    expect(() => new Engine({ yearBits: 0 })).toThrow(/yearBits/);
  });

  it('implements the allocators’ Clock interface', () => {
    const clock: Clock = new Engine();
    const k = clock.define(() => undefined);
    expect(clock.cancel(clock.schedule(1, k, 0))).toBe(true);
    expect(clock.now).toBe(0);
  });

  it('keeps args up to 2^53 and negative args', () => {
    const e = new Engine();
    const got: number[] = [];
    const k = e.define((a) => got.push(a));
    for (const a of [2 ** 31, 2 ** 53 - 1, -1, 0]) e.schedule(0, k, a);
    e.run(0);
    expect(got).toEqual([2 ** 31, 2 ** 53 - 1, -1, 0]);
  });
});
