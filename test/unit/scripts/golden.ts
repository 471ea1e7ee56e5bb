/** Golden files: compare byte for byte; UPDATE_GOLDEN=1 rewrites them. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { expect } from "vitest";

export const GOLDEN_ROOT = join(__dirname, "..", "..", "golden");

export function expectGolden(relativePath: string, actual: string): void {
  const path = join(GOLDEN_ROOT, relativePath);
  if (process.env.UPDATE_GOLDEN === "1") {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) throw new Error(`golden file ${relativePath} is missing: run with UPDATE_GOLDEN=1 and review it`);
  expect(actual, `golden file ${relativePath} differs (UPDATE_GOLDEN=1 rewrites it)`).toBe(readFileSync(path, "utf8"));
}
