/** Byte-for-byte golden comparison under test/golden/; `UPDATE_GOLDEN=1` rewrites the files instead. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { expect } from "vitest";

export const GOLDEN_ROOT = join(__dirname, "..", "..", "golden");

/** `file` is relative to test/golden, e.g. `debian/dev/prepare-node.sh`. */
export function expectGolden(file: string, actual: string): void {
  const path = join(GOLDEN_ROOT, file);
  if (process.env.UPDATE_GOLDEN === "1") {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  if (!existsSync(path)) throw new Error(`golden file ${path} is missing; run with UPDATE_GOLDEN=1 to create it`);
  expect(actual, `${file} differs from its golden file (UPDATE_GOLDEN=1 rewrites it)`).toBe(readFileSync(path, "utf8"));
}
