/**
 * One growth measurement, run in its own process by growth.ts:
 *   node --import tsx tools/bench/renderOnce.ts <windows workers>
 * Renders the production variant with that many Windows workers and prints one JSON line:
 * evaluation time, peak RSS, heap after the run and the resource count.
 */
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { renderStackFile } from "../render/render";
import { readStackFile } from "../render/stackFile";
import { withWindowsWorkers } from "./variants";

async function main(): Promise<void> {
  const workers = Number(process.argv[2]);
  const stacks = join(resolve(__dirname, "..", ".."), "stacks");
  const file = withWindowsWorkers(readStackFile(stacks, "production"), workers);
  const started = performance.now();
  const { summary } = await renderStackFile(file, "production");
  const ms = performance.now() - started;
  const usage = process.resourceUsage();
  process.stdout.write(
    `${JSON.stringify({ workers, ms, maxRssKiB: usage.maxRSS, heapUsedBytes: process.memoryUsage().heapUsed, resources: summary.resources, startupMs: started })}\n`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
