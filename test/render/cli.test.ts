/** The render command as a user runs it: exit codes, and that it never writes over what it did not write. */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseArguments, UsageError } from "../../tools/render/args";
import { outputDirProblem } from "../../tools/render/output";
import { REPO_ROOT } from "../support/stacks";

const scratch = mkdtempSync(join(tmpdir(), "opentwin-render-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function render(...args: string[]) {
  return spawnSync(process.execPath, [join(REPO_ROOT, "node_modules", "tsx", "dist", "cli.mjs"), join(REPO_ROOT, "tools", "render", "cli.ts"), ...args], {
    cwd: scratch,
    encoding: "utf8",
  });
}

describe("output directory guard", () => {
  const protectedDirs = ["/work/repo", "/home/user/project"];

  it.each([
    ["/work/repo", "holds /work/repo"],
    ["/work", "holds /work/repo"],
    ["/", "holds /work/repo"],
    ["/home/user/project", "holds /home/user/project"],
  ])("refuses %s", (dir, reason) => {
    expect(outputDirProblem(dir, protectedDirs)).toContain(reason);
  });

  it("refuses an existing file and a directory it did not write, and accepts a new or earlier render directory", () => {
    const file = join(scratch, "a-file");
    writeFileSync(file, "keep");
    expect(outputDirProblem(file, protectedDirs)).toContain("is not a directory");
    const foreign = join(scratch, "foreign");
    mkdirSync(foreign);
    writeFileSync(join(foreign, "keep.txt"), "keep");
    expect(outputDirProblem(foreign, protectedDirs)).toContain("was not written by npm run render");
    expect(outputDirProblem(join(scratch, "new", "nested"), protectedDirs)).toBeUndefined();
  });
});

describe("arguments", () => {
  const where = { repoRoot: "/repo", cwd: "/home/me/work" };

  it.each([[["dev", "--out="]], [["dev", "--out"]], [["dev", "--out", "--help"]], [["dev", "production"]], [["dev", "--bogus"]], [[]], [["."]], [[".."]], [["../../etc"]]])(
    "rejects %j as a usage error",
    (argv) => {
      expect(() => parseArguments(argv, where)).toThrowError(UsageError);
    },
  );

  it("writes to out/<stack> in the repository by default and resolves --out from where the user stands", () => {
    expect(parseArguments(["dev"], where)).toEqual({ stack: "dev", out: "/repo/out/dev" });
    expect(parseArguments(["dev", "--out", "rendered"], where).out).toBe("/home/me/work/rendered");
    expect(parseArguments(["dev", "--out=/tmp/x"], where).out).toBe("/tmp/x");
  });
});

describe("npm run render", () => {
  it("writes a stack, then replaces only its own earlier output", () => {
    const out = join(scratch, "dev");
    expect(render("dev", "--out", out).status).toBe(0);
    expect(existsSync(join(out, "plan.json"))).toBe(true);
    expect(render("dev", "--out", out).status).toBe(0);
  }, 60_000);

  it("refuses to write into a directory it did not write, leaving it untouched", () => {
    const foreign = join(scratch, "keep");
    mkdirSync(foreign, { recursive: true });
    writeFileSync(join(foreign, "keep.txt"), "precious");
    const result = render("dev", "--out", foreign);
    expect(result.status).toBe(2);
    expect(readFileSync(join(foreign, "keep.txt"), "utf8")).toBe("precious");
  }, 60_000);

  it("names the stacks that exist for an unknown stack, writing nothing", () => {
    const result = render("nope", "--out", join(scratch, "x"));
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/allowed: (.*, )?dev, (.*, )?production/);
    expect(existsSync(join(scratch, "x"))).toBe(false);
  }, 60_000);
});
