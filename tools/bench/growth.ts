/** Section 2: cost of growth. Each measurement renders one variant in a fresh Node process. */
import { join } from "node:path";
import { slope, spread, timed, type Spread } from "./measure";

export interface GrowthRow {
  readonly workers: number;
  readonly resources: number;
  readonly evaluationMs: Spread;
  readonly processMs: Spread;
  readonly maxRssMiB: Spread;
}

export interface GrowthResult {
  readonly rows: GrowthRow[];
  readonly resourcesPerWorker: number;
  readonly msPerWorker: number;
  readonly mibPerWorker: number;
}

interface Sample {
  readonly workers: number;
  readonly ms: number;
  readonly maxRssKiB: number;
  readonly resources: number;
}

export function measureGrowth(repoRoot: string, counts: readonly number[], repeats: number): GrowthResult {
  const rows: GrowthRow[] = [];
  const script = join(repoRoot, "tools", "bench", "renderOnce.ts");
  for (const workers of counts) {
    const samples: (Sample & { processMs: number })[] = [];
    for (let i = 0; i < repeats; i++) {
      const run = timed(process.execPath, ["--import", "tsx", script, String(workers)], { cwd: repoRoot });
      if (run.status !== 0) throw new Error(`render of ${workers} workers failed: ${run.stderr.trim() || run.error?.message}`);
      const sample = JSON.parse(run.stdout.trim().split("\n").pop()!) as Sample;
      samples.push({ ...sample, processMs: run.ms });
    }
    rows.push({
      workers,
      resources: samples[0]!.resources,
      evaluationMs: spread(samples.map((s) => s.ms)),
      processMs: spread(samples.map((s) => s.processMs)),
      maxRssMiB: spread(samples.map((s) => s.maxRssKiB / 1024)),
    });
  }
  const fit = (y: (r: GrowthRow) => number): number => slope(rows.map((r) => ({ x: r.workers, y: y(r) }))).slope;
  return {
    rows,
    resourcesPerWorker: fit((r) => r.resources),
    msPerWorker: fit((r) => r.evaluationMs.median),
    mibPerWorker: fit((r) => r.maxRssMiB.median),
  };
}
