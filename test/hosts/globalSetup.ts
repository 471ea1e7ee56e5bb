/**
 * Renders every stack the host checks look at (the repository's stacks and the variants) into a
 * temporary directory before any check runs, and tells the checks where (inject("renderRoot")).
 * A stack that fails to render is recorded (inject("renderErrors")); a check reports it.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { TestProject } from "vitest/node";
import { VARIANTS, writeVariant } from "../../tools/checks/variants";

const REPO_ROOT = resolve(__dirname, "..", "..");
const REPOSITORY_STACKS = ["dev", "production"];

declare module "vitest" {
  export interface ProvidedContext {
    renderRoot: string;
    renderErrors: Record<string, string>;
    stacksDir: string;
  }
}

/** Set OPENTWIN_HOSTS_RENDER=DIR to keep the renders and sandboxes in DIR (otherwise a temporary directory, removed at the end). */
export default function setup(project: TestProject): () => void {
  const keep = process.env.OPENTWIN_HOSTS_RENDER;
  const root = keep ?? mkdtempSync(join(tmpdir(), "opentwin-hosts-"));
  const stacksDir = join(root, "stacks");
  mkdirSync(stacksDir, { recursive: true });
  // The deployable stacks (other stack files, e.g. e2e, need values their own tiers add).
  for (const stack of REPOSITORY_STACKS) copyFileSync(join(REPO_ROOT, "stacks", `Pulumi.${stack}.yaml`), join(stacksDir, `Pulumi.${stack}.yaml`));
  for (const variant of VARIANTS) writeVariant(REPO_ROOT, stacksDir, variant);
  const stacks = readdirSync(stacksDir).map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1]).filter((s): s is string => s !== undefined);
  const errors: Record<string, string> = {};
  const tsx = join(REPO_ROOT, "node_modules", ".bin", "tsx");
  for (const stack of stacks.sort()) {
    const result = spawnSync(tsx, [join(REPO_ROOT, "tools", "checks", "renderTo.ts"), stacksDir, stack, join(root, "out", stack)], {
      cwd: REPO_ROOT,
      encoding: "utf8",
      timeout: 300_000,
    });
    if (result.status !== 0) errors[stack] = `${result.stderr}${result.error?.message ?? ""}`.trim();
  }
  process.stdout.write(`host checks: rendered ${stacks.length - Object.keys(errors).length}/${stacks.length} stacks into ${join(root, "out")}\n`);
  project.provide("renderRoot", join(root, "out"));
  project.provide("renderErrors", errors);
  project.provide("stacksDir", stacksDir);
  return () => {
    if (keep === undefined) rmSync(root, { recursive: true, force: true });
  };
}
