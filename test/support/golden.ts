/**
 * Golden files under test/golden/, compared byte for byte. `UPDATE_GOLDEN=1` rewrites them instead,
 * so the diff of an intended change shows exactly what changes on the machines and in the cluster.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { expect } from "vitest";
import { REPO_ROOT } from "./stacks";

export const GOLDEN_ROOT = join(REPO_ROOT, "test", "golden");
const updating = (): boolean => process.env.UPDATE_GOLDEN === "1";

/** `file` is relative to test/golden, e.g. `debian/dev/prepare-node.sh`. */
export function expectGolden(file: string, actual: string): void {
  const path = join(GOLDEN_ROOT, file);
  if (updating()) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) throw new Error(`golden file test/golden/${file} is missing; run with UPDATE_GOLDEN=1 and review it`);
  expect(actual, `test/golden/${file} differs (UPDATE_GOLDEN=1 rewrites it)`).toBe(readFileSync(path, "utf8"));
}

function listFiles(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .sort();
}

/** A whole tree: the same files, each byte for byte; updating also removes files that are gone. */
export function expectGoldenTree(name: string, files: Record<string, string>): void {
  const root = join(GOLDEN_ROOT, name);
  if (updating()) rmSync(root, { recursive: true, force: true });
  else expect(listFiles(root), `files under test/golden/${name} (UPDATE_GOLDEN=1 rewrites them)`).toEqual(Object.keys(files).sort());
  for (const [path, content] of Object.entries(files)) expectGolden(join(name, path), content);
}
