/** The Windows worker's drain (run on the control plane when the worker is removed), run under bash with a stub kubectl. */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { drainScript, drainFlags } from "../../../components/cluster/windowsControlPlane";
import { renderDrainNode } from "../../../components/scripts/debian/clusterOps";

const dir = mkdtempSync(join(tmpdir(), "opentwin-drain-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Runs the drain with `sudo` stubbed: `sudo kubectl ... drain` prints `output` and exits `code`;
 * every call's arguments are written to a log.
 */
function runDrain(drain: { output: string; code: number }): { status: number | null; stdout: string; stderr: string; calls: string[] } {
  const log = join(dir, `calls-${Math.random().toString(36).slice(2)}`);
  const sudo = join(dir, "sudo");
  writeFileSync(
    sudo,
    `#!/bin/bash
echo "$*" >> ${JSON.stringify(log)}
case " $* " in
  *" drain "*) printf '%s\\n' ${JSON.stringify(drain.output)}; exit ${drain.code} ;;
  *" get node "*) exit 0 ;;
esac
exit 0
`,
  );
  chmodSync(sudo, 0o755);
  writeFileSync(log, "");
  const result = spawnSync("bash", ["-c", drainScript("otwin1", 10)], { env: { PATH: `${dir}:${process.env.PATH}` }, encoding: "utf8" });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls: readFileSync(log, "utf8").split("\n").filter((l) => l !== "") };
}

describe("drain of a Windows worker", () => {
  it("uses the Linux workers' flags, --force included", () => {
    const linux = /drain \S+ (--ignore-daemonsets.*--timeout=10m)/.exec(renderDrainNode("otlin1", 10))?.[1];
    expect(linux).toBe(drainFlags(10));
    expect(drainFlags(10)).toBe("--ignore-daemonsets --delete-emptydir-data --force --timeout=10m");
    expect(drainScript("otwin1", 10)).toContain(`drain 'otwin1' ${drainFlags(10)}`);
  });

  it("drains a node that is there, with --force", () => {
    const run = runDrain({ output: "node/otwin1 drained", code: 0 });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("node/otwin1 drained");
    const drains = run.calls.filter((c) => c.includes(" drain "));
    expect(drains).toHaveLength(1);
    expect(drains[0]).toContain("drain otwin1 --ignore-daemonsets --delete-emptydir-data --force --timeout=10m");
  });

  it("succeeds when the node is already gone (NotFound)", () => {
    const run = runDrain({ output: 'Error from server (NotFound): nodes "otwin1" not found', code: 1 });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("node otwin1 is not in the cluster: nothing to drain");
  });

  it("fails, naming the step, on any other error", () => {
    const run = runDrain({ output: "error: unable to drain node \"otwin1\" due to error: cannot evict pod", code: 1 });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("step 'drain otwin1' failed");
    // Another node's NotFound is not this node's.
    expect(runDrain({ output: 'Error from server (NotFound): nodes "otwin10" not found', code: 1 }).status).toBe(1);
  });
});
