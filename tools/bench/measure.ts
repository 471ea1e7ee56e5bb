/** Small helpers shared by the measured sections: child processes, spread, the machine. */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { performance } from "node:perf_hooks";

export interface Spread {
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

export function spread(values: readonly number[]): Spread {
  if (values.length === 0) throw new Error("no values");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { min: sorted[0]!, median, max: sorted[sorted.length - 1]! };
}

/** Least-squares slope and intercept of y over x. */
export function slope(points: readonly { x: number; y: number }[]): { slope: number; intercept: number } {
  const n = points.length;
  if (n < 2) throw new Error("need two points for a slope");
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sxx = points.reduce((s, p) => s + (p.x - mx) ** 2, 0);
  const sxy = points.reduce((s, p) => s + (p.x - mx) * (p.y - my), 0);
  if (sxx === 0) throw new Error("all x are equal");
  const b = sxy / sxx;
  return { slope: b, intercept: my - b * mx };
}

/** Runs a command to completion; returns its wall time, exit status and output. */
export function timed(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}) {
  const started = performance.now();
  const result = spawnSync(command, [...args], { cwd: options.cwd, env: options.env, encoding: "utf8", timeout: options.timeoutMs ?? 300_000, maxBuffer: 64 * 1024 * 1024 });
  return { ms: performance.now() - started, status: result.status, stdout: result.stdout ?? "", stderr: result.stderr ?? "", error: result.error };
}

export function machineDescription(): string[] {
  const cpu = cpus();
  let model = cpu[0]?.model ?? "unknown CPU";
  try {
    const line = readFileSync("/proc/cpuinfo", "utf8").split("\n").find((l) => l.startsWith("model name"));
    if (line !== undefined) model = line.split(":")[1]!.trim();
  } catch {
    // not Linux: keep os.cpus()
  }
  return [
    `CPU: ${model}, ${cpu.length} logical cores`,
    `RAM: ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `Node.js: ${process.version} (${process.platform}/${process.arch})`,
  ];
}
