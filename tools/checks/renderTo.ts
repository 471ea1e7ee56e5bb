/**
 * tsx tools/checks/renderTo.ts <stacksDir> <stack> <outDir>
 * The offline render of one stack from any stacks directory (the render CLI reads only stacks/),
 * so the host checks can render variant stacks written to a temporary directory.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { renderStack } from "../render/render";

async function main(): Promise<void> {
  const [stacksDir, stack, outDir] = process.argv.slice(2);
  if (stacksDir === undefined || stack === undefined || outDir === undefined) throw new Error("usage: renderTo.ts <stacksDir> <stack> <outDir>");
  const { files } = await renderStack(stacksDir, stack);
  rmSync(outDir, { recursive: true, force: true });
  for (const [path, content] of Object.entries(files)) {
    const target = join(outDir, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`renderTo: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
