import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { configKeys, withConfigTable } from "../../../tools/docs/configKeys";
import { KEY_DESCRIPTIONS } from "../../../tools/docs/keyDescriptions";
import { REPO_ROOT } from "../../support/stacks";

describe("README", () => {
  const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8");

  it("describes every configuration key the schema accepts, and no other", () => {
    const keys = configKeys().map((k) => k.key);
    expect(keys.filter((key) => KEY_DESCRIPTIONS[key] === undefined)).toEqual([]);
    expect(Object.keys(KEY_DESCRIPTIONS).filter((key) => !keys.includes(key))).toEqual([]);
  });

  it("carries the current key table (npm run docs regenerates it)", () => {
    expect(withConfigTable(readme, KEY_DESCRIPTIONS)).toBe(readme);
  });

  it("gives the two commands a new user runs", () => {
    expect(readme).toContain("npm ci && npm run render -- dev");
    expect(readme).toContain("npm test");
  });
});
