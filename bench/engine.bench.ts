/**
 * Suite `engine`: schedule + pop in a steady state with 1M events pending (every dispatched event schedules one
 * more after a uniform random delay of 0..2^20 − 1 ms, so the pending count stays at 1M). Target from issue 2:
 * ≥ 4M events/s. Baseline in the same run: FastPriorityQueue holding one object per event with a (time, seq)
 * comparator, same delays.
 *
 * Both sides draw delays from the project's seeded Rng (a stream each, same seed), so they see the same workload.
 * The `post` case schedules through post() (no handle) and carries a second reference: a bare FastPriorityQueue
 * loop over numeric keys with no event data (what a heap alone costs). The `schedule` cases take a cancellation
 * handle per event; the `18 h` case draws delays of 0..2^26 ms instead (64× the spread: the calendar's years then
 * re-choose wider buckets, and events wait in the far list).
 *
 * Only the last case carries the object baseline (see cases()). The baseline's check runs in its first setup (still before it is timed) rather than in check(): running the
 * object heap first would make FastPriorityQueue's shared methods polymorphic while the engine is timed.
 */
import FastPriorityQueue from 'fastpriorityqueue';
import { expectEq, type BenchCase } from './harness.js';
import { Engine } from '../src/engine/index.js';
import { Rng, type Stream } from '../src/rng.js';

const PENDING = 1 << 20;
const EVENTS = 1_000_000;
const DELAY_SPAN = 1 << 20;
const LONG_SPAN = 1 << 26;

/** A steady-state engine: PENDING events pending, each dispatched one schedules another; stops after `quota` events. */
class Steady {
  readonly engine: Engine;
  private readonly delays: Stream;
  private readonly kind: number;
  private remaining: number;
  /** Verification (only when checking): last time and arg seen, order violations. */
  private readonly verify: boolean;
  private lastTime: number;
  private lastArg: number;
  violations: number;
  private nextArg: number;

  constructor(span: number, verify: boolean, post = false) {
    this.engine = new Engine({ initialCapacity: PENDING });
    this.delays = new Rng(42).stream('delays');
    this.remaining = 0;
    this.verify = verify;
    this.lastTime = -1;
    this.lastArg = -1;
    this.violations = 0;
    this.nextArg = 0;
    const engine = this.engine;
    this.kind = engine.define((arg) => {
      if (this.verify) {
        const t = engine.now;
        // Args are given in scheduling order, so at equal times they must come out increasing.
        if (t < this.lastTime || (t === this.lastTime && arg <= this.lastArg)) this.violations++;
        this.lastTime = t;
        this.lastArg = arg;
      }
      if (post) engine.post(this.delays.int(span), this.kind, this.nextArg++);
      else engine.schedule(this.delays.int(span), this.kind, this.nextArg++);
      if (--this.remaining === 0) engine.stop();
    });
    for (let i = 0; i < PENDING; i++) engine.schedule(this.delays.int(span), this.kind, this.nextArg++);
  }

  /** Dispatches exactly n events. */
  run(n: number): void {
    this.remaining = n;
    this.engine.resume();
    this.engine.run(Infinity);
  }
}

/**
 * The reference for the engine's own overhead: a bare FastPriorityQueue with its default numeric comparator and
 * packed keys (time × 2^26 + seq), the same delays, no event data, no dispatch. What the engine adds on top of it
 * (slot data, handles, handler calls) is the ratio engine / bare.
 */
class BareFpq {
  readonly heap: FastPriorityQueue<number>;
  private readonly delays: Stream;
  private seq: number;
  now: number;

  constructor() {
    this.heap = new FastPriorityQueue<number>();
    this.delays = new Rng(42).stream('delays');
    this.seq = 0;
    this.now = 0;
    for (let i = 0; i < PENDING; i++) this.heap.add(this.delays.int(DELAY_SPAN) * BARE_SCALE + this.seq++);
  }

  /** Pops n keys, each adding one more; returns order violations. */
  run(n: number): number {
    const heap = this.heap;
    let bad = 0;
    let last = -1;
    for (let i = 0; i < n; i++) {
      const key = heap.poll()!;
      if (key <= last) bad++;
      last = key;
      this.now = Math.floor(key / BARE_SCALE);
      heap.add((this.now + this.delays.int(DELAY_SPAN)) * BARE_SCALE + this.seq++);
    }
    return bad;
  }
}
const BARE_SCALE = 2 ** 26;

interface Ev {
  time: number;
  seq: number;
  kind: number;
  arg: number;
}

/** The baseline: one object per event in a FastPriorityQueue with a (time, seq) comparator. */
class ObjectHeap {
  readonly heap: FastPriorityQueue<Ev>;
  private readonly delays: Stream;
  private seq: number;
  now: number;

  constructor() {
    this.heap = new FastPriorityQueue<Ev>((a, b) => a.time < b.time || (a.time === b.time && a.seq < b.seq));
    this.delays = new Rng(42).stream('delays');
    this.seq = 0;
    this.now = 0;
    for (let i = 0; i < PENDING; i++) this.add(this.delays.int(DELAY_SPAN));
  }

  private add(delay: number): void {
    this.heap.add({ time: this.now + delay, seq: this.seq, kind: 0, arg: this.seq });
    this.seq++;
  }

  /** Pops n events, each scheduling one more; returns order violations. */
  run(n: number): number {
    let bad = 0;
    let lastTime = -1, lastSeq = -1;
    for (let i = 0; i < n; i++) {
      const e = this.heap.poll()!;
      if (e.time < lastTime || (e.time === lastTime && e.seq <= lastSeq)) bad++;
      lastTime = e.time;
      lastSeq = e.seq;
      this.now = e.time;
      this.add(this.delays.int(DELAY_SPAN));
    }
    return bad;
  }
}

/** The state of the case being measured; a case's check() drops the previous case's (1M events each side). */
let steady: Steady | null = null;
let base: ObjectHeap | null = null;

/** Drops the previous case's state, runs a verifying steady state for EVENTS events and checks it; returns it. */
function checkedSteady(name: string, span: number, post: boolean): Steady {
  steady = null;
  (globalThis as { gc?: () => void }).gc?.();
  const s = new Steady(span, true, post);
  s.run(EVENTS);
  expectEq(`${name}: order violations`, s.violations, 0);
  expectEq(`${name}: processed`, s.engine.processed, EVENTS);
  expectEq(`${name}: pending`, s.engine.pending, PENDING);
  return s;
}

function engineCase(name: string, span: number, withBaseline: boolean): BenchCase {
  let baseChecked = false;
  const c: BenchCase = {
    suite: 'engine',
    name,
    ops: EVENTS,
    timeMs: 1500,
    check: () => {
      base = null;
      const s = checkedSteady(name, span, false);
      // A second batch from a stopped-and-resumed run continues in order.
      s.run(EVENTS);
      expectEq(`${name}: order violations (2nd batch)`, s.violations, 0);
      expectEq(`${name}: processed (2nd batch)`, s.engine.processed, 2 * EVENTS);
    },
    subject: {
      setup: () => {
        steady ??= new Steady(span, false);
      },
      fn: () => {
        steady!.run(EVENTS);
      },
    },
    baseline: {
      setup: () => {
        if (!baseChecked) {
          const b = new ObjectHeap();
          expectEq(`${name} baseline: order violations`, b.run(EVENTS), 0);
          expectEq(`${name} baseline: pending`, b.heap.size, PENDING);
          baseChecked = true;
          steady = null; // the subject is done; let its memory go
        }
        base ??= new ObjectHeap();
      },
      fn: () => {
        base!.run(EVENTS);
      },
    },
  };
  if (!withBaseline) delete c.baseline;
  return c;
}

let bare: BareFpq | null = null;

/** The engine through post() (no handles) against the bare numeric FastPriorityQueue loop. */
function postCase(): BenchCase {
  const name = 'post+pop 1M pending vs bare FPQ';
  let bareChecked = false;
  return {
    suite: 'engine',
    name,
    ops: EVENTS,
    timeMs: 1500,
    check: () => {
      bare = null;
      checkedSteady(name, DELAY_SPAN, true);
    },
    subject: {
      setup: () => {
        steady ??= new Steady(DELAY_SPAN, false, true);
      },
      fn: () => {
        steady!.run(EVENTS);
      },
    },
    baseline: {
      setup: () => {
        if (!bareChecked) {
          steady = null;
          const b = new BareFpq();
          expectEq(`${name} bare: order violations`, b.run(EVENTS), 0);
          expectEq(`${name} bare: pending`, b.heap.size, PENDING);
          bareChecked = true;
        }
        bare ??= new BareFpq();
      },
      fn: () => {
        bare!.run(EVENTS);
      },
    },
  };
}

export function cases(): BenchCase[] {
  // The case without a baseline runs first: once the object baseline has run, FastPriorityQueue's shared prototype
  // methods are polymorphic (two comparators, two element kinds) and every later engine figure drops to about the
  // baseline's (measured: 139k vs 142k events/s under load).
  // The bare numeric loop shares the engine's comparator and element kind, so it may run before the engine cases.
  return [
    postCase(),
    engineCase('schedule+pop 1M pending (delays 0..18 h)', LONG_SPAN, false),
    engineCase('schedule+pop 1M pending', DELAY_SPAN, true),
  ];
}
