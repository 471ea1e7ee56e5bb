/**
 * npm run bench: regenerates docs/benchmarks.md entirely (provisioning makespan under mocks,
 * cost of growth in child processes, real `pulumi preview` when the engine toolchain exists).
 * A benchmark, not a test: it asserts nothing and exits 0 unless something breaks.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { readStackFile } from "../render/stackFile";
import { measureEngine } from "./engine";
import { measureGrowth } from "./growth";
import { LOCAL_SCRIPT, scriptParallel } from "./localScript";
import { machineDescription } from "./measure";
import { evaluate, HOST_LIMITED_KINDS, programDag, timedSteps, type Scenario, type VariantResult } from "./provisioning";
import { renderReport } from "./report";
import { criticalPath, simulate } from "./schedule";
import { withWindowsWorkers } from "./variants";

const REPO_ROOT = resolve(__dirname, "..", "..");
const PROVISIONING_WORKERS = [1, 3, 10, 30];
const GROWTH_WORKERS = [1, 10, 50, 100];
const REPEATS = 5;
/** Rounds of real previews (after one warm-up round); fewer than REPEATS to keep the bench under 6 minutes. */
const ENGINE_REPEATS = 3;
const JITTER = 0.25;
const HOST_LIMIT = 4;

function log(message: string): void {
  process.stderr.write(`bench: ${message}\n`);
}

/**
 * Other work on the machine skews every measured figure (sections 2 and 3); the load average shows how
 * busy it was, and OPENTWIN_BENCH_NOTE (optional) says what that work was.
 */
function loadLine(start: number[], end: number[], cores: number): string {
  const f = (l: number[]) => l.map((x) => x.toFixed(2)).join(" / ");
  const busy = Math.max(start[0]!, end[0]!) > cores;
  const note = process.env.OPENTWIN_BENCH_NOTE?.trim();
  return (
    `Load average (1 / 5 / 15 min) on ${cores} cores: ${f(start)} at the start, ${f(end)} at the end` +
    (busy ? "; above the core count: other work shared the machine, so the measured times are inflated" : "") +
    (note ? ` (OPENTWIN_BENCH_NOTE: ${note})` : "")
  );
}

/** Smallest --parallel with makespan <= 1.05 x critical path (binary search; makespan falls as parallel grows, in practice). */
function minimalParallel(steps: ReturnType<typeof timedSteps>): number {
  const limit = criticalPath(steps).length * 1.05;
  let lo = 1;
  let hi = steps.length;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (simulate(steps, { parallel: mid }).makespan <= limit) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

async function main(): Promise<void> {
  const started = performance.now();
  const loadAtStart = loadavg();
  const cores = availableParallelism();
  const local = scriptParallel(readFileSync(join(REPO_ROOT, LOCAL_SCRIPT), "utf8"));
  const scenarios: Scenario[] = [
    { label: "Unbounded parallelism (the graph's own limit)" },
    { label: `npm run up / preview: --parallel ${local} (${LOCAL_SCRIPT})`, parallel: local, whatUsersRun: true },
    { label: `Pulumi default on this machine: --parallel ${4 * cores} (4 x ${cores} CPUs)`, parallel: 4 * cores },
    { label: "Pulumi default on an 8-CPU workstation: --parallel 32", parallel: 32 },
    { label: `Unbounded parallelism, at most ${HOST_LIMIT} VM create/first-boot steps at once per Hyper-V host (assumption)`, groupLimit: HOST_LIMIT },
  ];
  const seeds = Array.from({ length: REPEATS }, (_, i) => i + 1);
  const base = readStackFile(join(REPO_ROOT, "stacks"), "production");

  log("1/3 provisioning makespan");
  const variants: VariantResult[] = [];
  const minimal: { workers: number; parallel: number }[] = [];
  for (const workers of PROVISIONING_WORKERS) {
    const dag = await programDag(withWindowsWorkers(base, workers), "production");
    variants.push(evaluate(dag, workers, scenarios, seeds, JITTER));
    minimal.push({ workers, parallel: minimalParallel(timedSteps(dag)) });
  }

  log("2/3 cost of growth (child processes)");
  const growth = measureGrowth(REPO_ROOT, GROWTH_WORKERS, REPEATS);

  log("3/3 real engine");
  const engine = measureEngine(REPO_ROOT, ENGINE_REPEATS);
  if (!engine.available) log(`real engine: not available (${engine.reason})`);

  const report = renderReport({
    date: new Date().toISOString().slice(0, 10),
    machine: [...machineDescription(), loadLine(loadAtStart, loadavg(), cores)],
    totalSeconds: (performance.now() - started) / 1000,
    provisioning: { scenarios, variants, seeds: REPEATS, jitter: JITTER, minimalParallel: minimal, hostLimitedKinds: [...HOST_LIMITED_KINDS] },
    growth,
    engine,
  });
  const target = join(REPO_ROOT, "docs", "benchmarks.md");
  writeFileSync(target, report);
  log(`wrote ${target}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
