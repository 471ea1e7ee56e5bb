/** Golden trees: every file compared byte for byte; UPDATE_GOLDEN=1 rewrites the tree (and removes stale files). */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { expect } from "vitest";
import { REPO_ROOT } from "../support/stacks";

function listFiles(root: string): string[] {
  if (!existsSync(root)) return [];
  return readdirSync(root, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .sort();
}

export function expectGoldenTree(name: string, files: Record<string, string>): void {
  const root = join(REPO_ROOT, "test", "golden", name);
  if (process.env.UPDATE_GOLDEN === "1") {
    rmSync(root, { recursive: true, force: true });
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), content);
    }
    return;
  }
  expect(listFiles(root), `files under test/golden/${name} (UPDATE_GOLDEN=1 rewrites them)`).toEqual(Object.keys(files).sort());
  for (const [path, content] of Object.entries(files)) {
    expect(readFileSync(join(root, path), "utf8"), `test/golden/${name}/${path}`).toBe(content);
  }
}
