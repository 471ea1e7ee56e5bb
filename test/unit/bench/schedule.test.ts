import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { criticalPath, jitter, serialSum, simulate, type TimedStep } from "../../../tools/bench/schedule";

/** Steps 0..n-1, each depending on the one before. */
function chain(durations: readonly number[], offset = 0): TimedStep[] {
  return durations.map((seconds, i) => ({ seconds, deps: i === 0 ? [] : [offset + i - 1] }));
}

/** Independent chains laid out one after another in topological order. */
function chains(all: readonly (readonly number[])[]): TimedStep[] {
  const steps: TimedStep[] = [];
  for (const durations of all) steps.push(...chain(durations, steps.length));
  return steps;
}

/** Random DAGs in topological order: each step depends on a subset of earlier steps. */
const dagArbitrary = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 600 }), fc.array(fc.nat(), { maxLength: 4 })), { minLength: 1, maxLength: 40 })
  .map((raw): TimedStep[] => raw.map(([seconds, picks], i) => ({ seconds, deps: i === 0 ? [] : [...new Set(picks.map((p) => p % i))] })));

describe("makespan of simple graphs", () => {
  it("a chain takes the sum of its steps, whatever the parallelism", () => {
    const steps = chain([30, 300, 120, 180, 5]);
    expect(simulate(steps).makespan).toBe(635);
    expect(simulate(steps, { parallel: 1 }).makespan).toBe(635);
    expect(criticalPath(steps).length).toBe(635);
  });

  it("independent chains take as long as the longest one when nothing limits parallelism", () => {
    const steps = chains([[10, 20], [100], [5, 5, 5]]);
    expect(simulate(steps).makespan).toBe(100);
    expect(criticalPath(steps).length).toBe(100);
    expect(serialSum(steps)).toBe(145);
  });

  it("with --parallel 1 every step runs alone: the makespan is the serial sum", () => {
    const steps = chains([[10, 20], [100], [5, 5, 5]]);
    expect(simulate(steps, { parallel: 1 }).makespan).toBe(145);
  });

  it("a slot limit makes identical workers queue: 4 chains of 100 s on 2 slots take 200 s", () => {
    const steps = chains([[50, 50], [50, 50], [50, 50], [50, 50]]);
    expect(simulate(steps, { parallel: 2 }).makespan).toBe(200);
    expect(simulate(steps, { parallel: 4 }).makespan).toBe(100);
  });

  it("a per-group limit applies only to limited steps of the same group", () => {
    const boot = (group: string): TimedStep => ({ seconds: 100, deps: [], group, limited: true });
    const steps = [boot("hv1"), boot("hv1"), boot("hv2"), { seconds: 100, deps: [], group: "hv1" }];
    expect(simulate(steps, { groupLimit: 1 }).makespan).toBe(200);
    expect(simulate(steps, { groupLimit: 2 }).makespan).toBe(100);
  });

  it("zero-length steps take no slot and pass readiness on at once", () => {
    const steps: TimedStep[] = [{ seconds: 10, deps: [] }, { seconds: 0, deps: [0] }, { seconds: 0, deps: [1] }, { seconds: 10, deps: [2] }];
    expect(simulate(steps, { parallel: 1 }).makespan).toBe(20);
  });

  it("names the longest chain", () => {
    const steps: TimedStep[] = [{ seconds: 5, deps: [] }, { seconds: 50, deps: [] }, { seconds: 1, deps: [0, 1] }];
    expect(criticalPath(steps).path).toEqual([1, 2]);
  });

  it("rejects steps out of topological order", () => {
    expect(() => simulate([{ seconds: 1, deps: [1] }, { seconds: 1, deps: [] }])).toThrow(/topological/);
  });
});

describe("scheduling properties on random graphs", () => {
  it("critical path <= makespan <= serial sum, for any --parallel", () => {
    fc.assert(
      fc.property(dagArbitrary, fc.integer({ min: 1, max: 8 }), (steps, parallel) => {
        const makespan = simulate(steps, { parallel }).makespan;
        expect(criticalPath(steps).length).toBeLessThanOrEqual(makespan + 1e-9);
        expect(makespan).toBeLessThanOrEqual(serialSum(steps) + 1e-9);
      }),
    );
  });

  it("without limits the makespan equals the critical path", () => {
    fc.assert(
      fc.property(dagArbitrary, (steps) => {
        expect(simulate(steps).makespan).toBe(criticalPath(steps).length);
      }),
    );
  });

  it("every step starts after all its dependencies finished, and at most `parallel` steps overlap", () => {
    fc.assert(
      fc.property(dagArbitrary, fc.integer({ min: 1, max: 4 }), (steps, parallel) => {
        const { start, finish } = simulate(steps, { parallel });
        steps.forEach((s, i) => s.deps.forEach((d) => expect(start[i]).toBeGreaterThanOrEqual(finish[d]!)));
        for (const [i, s] of steps.entries()) {
          if (s.seconds === 0) continue;
          const overlapping = steps.filter((t, j) => t.seconds > 0 && start[j]! <= start[i]! && finish[j]! > start[i]!).length;
          expect(overlapping).toBeLessThanOrEqual(parallel);
        }
      }),
    );
  });

  it("jitter keeps every duration within the spread and is repeatable for a seed", () => {
    fc.assert(
      fc.property(dagArbitrary, fc.integer(), (steps, seed) => {
        const a = jitter(steps, 0.25, seed);
        expect(jitter(steps, 0.25, seed)).toEqual(a);
        a.forEach((s, i) => {
          expect(s.seconds).toBeGreaterThanOrEqual(steps[i]!.seconds * 0.75 - 1e-9);
          expect(s.seconds).toBeLessThanOrEqual(steps[i]!.seconds * 1.25 + 1e-9);
        });
      }),
    );
  });
});
