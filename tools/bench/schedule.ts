/**
 * Scheduling arithmetic on a DAG of timed steps (pure): critical path, serial sum, and a list
 * scheduler that models the Pulumi engine (a step starts once its dependencies are done; at most
 * `parallel` provider operations at once, FIFO by the time a step became ready) and optional
 * per-host limits for some step kinds.
 */

export interface TimedStep {
  readonly seconds: number;
  /** Indices of steps that must finish first; each smaller than the step's own index. */
  readonly deps: readonly number[];
  /** Group key for `groupLimit` (e.g. the Hyper-V host); undefined = no group. */
  readonly group?: string;
  /** Whether `groupLimit` applies to this step. */
  readonly limited?: boolean;
}

export interface ScheduleOptions {
  /** Steps with a duration > 0 running at once (Pulumi's --parallel). Default: unbounded. */
  readonly parallel?: number;
  /** Limited steps running at once per group. Default: unbounded. */
  readonly groupLimit?: number;
}

export interface Schedule {
  readonly makespan: number;
  readonly start: readonly number[];
  readonly finish: readonly number[];
}

function checkOrder(steps: readonly TimedStep[]): void {
  steps.forEach((s, i) => {
    if (!(s.seconds >= 0)) throw new Error(`step ${i} has duration ${s.seconds}`);
    for (const d of s.deps) if (!(d >= 0 && d < i)) throw new Error(`step ${i} depends on ${d}: steps must be in topological order`);
  });
}

/** Sum of all durations: every step one after another, as by hand. */
export function serialSum(steps: readonly TimedStep[]): number {
  return steps.reduce((sum, s) => sum + s.seconds, 0);
}

/** Length of the longest dependency chain, and the chain itself (indices, first step first). */
export function criticalPath(steps: readonly TimedStep[]): { length: number; path: number[] } {
  checkOrder(steps);
  const finish: number[] = [];
  const via: (number | undefined)[] = [];
  for (const s of steps) {
    let from: number | undefined;
    for (const d of s.deps) if (from === undefined || finish[d]! > finish[from]!) from = d;
    finish.push((from === undefined ? 0 : finish[from]!) + s.seconds);
    via.push(from);
  }
  let end = -1;
  let length = 0;
  finish.forEach((f, i) => {
    if (f > length || end < 0) {
      length = f;
      end = i;
    }
  });
  const path: number[] = [];
  for (let i: number | undefined = end < 0 ? undefined : end; i !== undefined; i = via[i]) path.unshift(i);
  return { length, path };
}

/** Event-driven list scheduling. */
export function simulate(steps: readonly TimedStep[], options: ScheduleOptions = {}): Schedule {
  checkOrder(steps);
  const parallel = options.parallel ?? Number.POSITIVE_INFINITY;
  const groupLimit = options.groupLimit ?? Number.POSITIVE_INFINITY;
  if (!(parallel >= 1) || !(groupLimit >= 1)) throw new Error("parallel and groupLimit must be >= 1");
  const n = steps.length;
  const waiting = steps.map((s) => new Set(s.deps).size);
  const dependents: number[][] = steps.map(() => []);
  steps.forEach((s, i) => new Set(s.deps).forEach((d) => dependents[d]!.push(i)));
  const start = new Array<number>(n).fill(Number.NaN);
  const finish = new Array<number>(n).fill(Number.NaN);
  const readyAt = new Array<number>(n).fill(Number.NaN);
  let ready: number[] = [];
  const running: number[] = [];
  const perGroup = new Map<string, number>();
  let busy = 0;
  let now = 0;
  let done = 0;

  const complete = (i: number): void => {
    finish[i] = now;
    done++;
    for (const j of dependents[i]!) {
      if (--waiting[j]! === 0) {
        readyAt[j] = now;
        ready.push(j);
      }
    }
  };
  steps.forEach((s, i) => {
    if (waiting[i] === 0) {
      readyAt[i] = 0;
      ready.push(i);
    }
  });

  while (done < n) {
    // Start everything that may start now; zero-length steps finish at once and may free others.
    let progressed = true;
    while (progressed) {
      ready.sort((a, b) => readyAt[a]! - readyAt[b]! || a - b);
      const snapshot = ready;
      const still: number[] = [];
      ready = []; // complete() appends newly ready steps here
      for (const i of snapshot) {
        const s = steps[i]!;
        const limited = s.limited === true && s.group !== undefined;
        const inGroup = limited ? (perGroup.get(s.group!) ?? 0) : 0;
        if (s.seconds === 0) {
          start[i] = now;
          complete(i);
        } else if (busy < parallel && inGroup < groupLimit) {
          start[i] = now;
          busy++;
          if (limited) perGroup.set(s.group!, inGroup + 1);
          running.push(i);
        } else still.push(i);
      }
      progressed = ready.length > 0;
      ready = [...still, ...ready];
    }
    if (running.length === 0) {
      if (done < n) throw new Error("deadlock: steps remain but none can run");
      break;
    }
    // Advance to the next completion.
    const next = Math.min(...running.map((i) => start[i]! + steps[i]!.seconds));
    now = next;
    for (let k = running.length - 1; k >= 0; k--) {
      const i = running[k]!;
      if (start[i]! + steps[i]!.seconds <= now) {
        running.splice(k, 1);
        busy--;
        const s = steps[i]!;
        if (s.limited === true && s.group !== undefined) perGroup.set(s.group, perGroup.get(s.group)! - 1);
        complete(i);
      }
    }
  }
  return { makespan: n === 0 ? 0 : Math.max(...finish), start, finish };
}

/** Deterministic PRNG (mulberry32) for jittered durations. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The same steps with each duration scaled by a factor drawn uniformly from [1 - spread, 1 + spread]. */
export function jitter<T extends TimedStep>(steps: readonly T[], spread: number, seed: number): T[] {
  const next = prng(seed);
  return steps.map((s) => ({ ...s, seconds: s.seconds * (1 - spread + 2 * spread * next()) }));
}
