/** Writing a render's files: atomically, and never over a directory the render did not write. */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, sep } from "node:path";

/** Written into every output directory; only a directory that carries it is ever replaced. */
const OUTPUT_MARKER = ".opentwin-render";

/** Why the output directory must not be written, or undefined when it may. */
export function outputDirProblem(outDir: string, protectedDirs: readonly string[]): string | undefined {
  const inside = outDir.endsWith(sep) ? outDir : outDir + sep;
  for (const dir of protectedDirs) {
    if (dir === outDir || dir.startsWith(inside)) return `refusing to write to ${outDir}: it holds ${dir}`;
  }
  if (!existsSync(outDir)) return undefined;
  if (!statSync(outDir).isDirectory()) return `refusing to write to ${outDir}: it exists and is not a directory`;
  if (readdirSync(outDir).length > 0 && !existsSync(join(outDir, OUTPUT_MARKER))) {
    return `refusing to replace ${outDir}: it exists and was not written by npm run render (no ${OUTPUT_MARKER} in it); choose another --out or remove it`;
  }
  return undefined;
}

export function writeAtomically(outDir: string, files: Record<string, string>): void {
  const staging = `${outDir}.rendering-${process.pid}`;
  files = { ...files, [OUTPUT_MARKER]: "Written by npm run render; the whole directory is replaced by the next render.\n" };
  rmSync(staging, { recursive: true, force: true });
  for (const [path, content] of Object.entries(files)) {
    const target = join(staging, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(dirname(outDir), { recursive: true });
  renameSync(staging, outDir);
}

