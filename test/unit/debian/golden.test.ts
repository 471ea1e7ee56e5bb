/** Every script and config file the dev and production stacks render, compared with its golden file. */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expectGolden } from "../../support/golden";
import { renderedFiles } from "./stackValues";

const hasShellcheck = spawnSync("shellcheck", ["--version"]).status === 0;

describe.each(["dev", "production"] as const)("rendered files of the %s stack", (stack) => {
  const files = renderedFiles(stack);

  it.each(Object.keys(files))("%s matches its golden file", (file) => {
    expectGolden(file, files[file]!);
  });

  it("are the expected set of files", () => {
    const names = Object.keys(files).sort();
    if (stack === "dev") {
      expect(names.filter((n) => n.includes("join.yaml"))).toEqual([]);
      expect(names).not.toContain("kubeadm/dev/kube-vip.yaml");
    } else {
      expect(names).toEqual(expect.arrayContaining(["kubeadm/production/otcp2-join.yaml", "kubeadm/production/otcp3-join.yaml", "kubeadm/production/otlnx1-join.yaml", "kubeadm/production/kube-vip.yaml"]));
    }
  });

  const scripts = Object.entries(files).filter(([name]) => name.endsWith(".sh"));

  it.each(scripts.map(([name]) => name))("%s parses with bash -n", (name) => {
    const result = spawnSync("bash", ["-n"], { input: files[name]! });
    expect(result.stderr.toString()).toBe("");
    expect(result.status).toBe(0);
  });

  it.skipIf(!hasShellcheck).each(scripts.map(([name]) => name))("%s is shellcheck-clean", (name) => {
    const dir = mkdtempSync(join(tmpdir(), "opentwin-sc-"));
    const path = join(dir, "script.sh");
    writeFileSync(path, files[name]!);
    let output = "";
    try {
      execFileSync("shellcheck", [path], { encoding: "utf8" });
    } catch (error) {
      output = String((error as { stdout?: string }).stdout ?? error);
    }
    expect(output).toBe("");
  });
});
