import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import type { EngineResult } from "../../../tools/bench/engine";
import { LOCAL_SCRIPT, scriptParallel } from "../../../tools/bench/localScript";
import type { Scenario, ScenarioFigures, VariantResult } from "../../../tools/bench/provisioning";
import { goal, renderReport, type Report } from "../../../tools/bench/report";

const REPO_ROOT = resolve(__dirname, "..", "..", "..");

describe("the --parallel that npm run up / preview pass", () => {
  it("is read from the script's default, and equals what the script's expansion gives when the variable is unset", () => {
    const script = readFileSync(join(REPO_ROOT, LOCAL_SCRIPT), "utf8");
    const line = script.split("\n").find((l) => l.includes("OPENTWIN_PULUMI_PARALLEL:-"))!;
    const expansion = /"(\$\{OPENTWIN_PULUMI_PARALLEL:-\d+\})"/.exec(line)![1]!;
    const env = { ...process.env };
    delete env.OPENTWIN_PULUMI_PARALLEL;
    const evaluated = spawnSync("bash", ["-c", `echo "${expansion}"`], { env, encoding: "utf8" }).stdout.trim();
    expect(scriptParallel(script)).toBe(Number(evaluated));
  });

  it("follows a changed default and fails loudly when the script no longer has one", () => {
    expect(scriptParallel('extra+=(--parallel "${OPENTWIN_PULUMI_PARALLEL:-16}")')).toBe(16);
    expect(() => scriptParallel("extra+=(--parallel 64)")).toThrow(/no longer passes --parallel/);
    expect(() => scriptParallel('--parallel "${OPENTWIN_PULUMI_PARALLEL:-0}"')).toThrow(/not a positive integer/);
  });
});

const fig = (makespan: number, critical = 1860): ScenarioFigures => ({ makespan, critical, serial: 10_000 });
const USERS: Scenario = { label: "npm run up / preview: --parallel 64 (scripts/pulumi-local.sh)", parallel: 64, whatUsersRun: true };
const TIGHT: Scenario = { label: "tight: --parallel 8", parallel: 8 };

function variant(workers: number, users: number, tight: number): VariantResult {
  return {
    workers,
    steps: 100,
    remoteSteps: 30,
    criticalChain: ["a (1 s)"],
    crossWorkerEdges: [],
    scenarios: {
      [USERS.label]: { nominal: fig(users), jittered: [fig(users), fig(users * 1.02)] },
      [TIGHT.label]: { nominal: fig(tight), jittered: [fig(tight)] },
    },
  };
}

function report(engine: EngineResult, usersAt30 = 1860): Report {
  return {
    date: "2026-01-01",
    machine: ["CPU: test"],
    totalSeconds: 1,
    provisioning: {
      scenarios: [USERS, TIGHT],
      variants: [variant(1, 1860, 1860), variant(30, usersAt30, 4700)],
      seeds: 2,
      jitter: 0.25,
      minimalParallel: [],
      hostLimitedKinds: ["vm-create"],
    },
    growth: { rows: [], resourcesPerWorker: 11, msPerWorker: 100, mibPerWorker: 2 },
    engine,
  };
}

const UNAVAILABLE: EngineResult = { available: false, reason: "no pulumi" };

describe("the goal line", () => {
  it("is met only within 10% of N=1 and 5% of the critical path", () => {
    const r = report(UNAVAILABLE).provisioning;
    expect(goal(r, USERS.label).met).toBe(true);
    expect(goal(r, TIGHT.label).met).toBe(false);
    expect(goal(report(UNAVAILABLE, 1860 * 1.06).provisioning, USERS.label).met).toBe(false);
  });

  it("heads the makespan section with the verdict under the setting users run, not under another scenario", () => {
    const met = renderReport(report(UNAVAILABLE));
    const headline = met.split("\n").find((l) => l.startsWith("**Goal under what users run**"))!;
    expect(headline).toContain("--parallel 64 (scripts/pulumi-local.sh)");
    expect(headline).toContain("-> **met**");
    expect(met.indexOf(headline)).toBeLessThan(met.indexOf("#### "));
    const notMet = renderReport(report(UNAVAILABLE, 1860 * 1.2));
    expect(notMet.split("\n").find((l) => l.startsWith("**Goal under what users run**"))).toContain("-> **not met**");
  });
});

describe("the real-engine section", () => {
  const measured: EngineResult = {
    available: true,
    version: "v3.276.0",
    missingPlugins: ["resource-command-v1.2.1", "resource-tls-v5.6.1"],
    rows: [
      { kind: "one-resource", label: "one-resource program", resources: "3", ms: { min: 6000, median: 6500, max: 7000 } },
      { kind: "e2e", label: "e2e stack", resources: "47", ms: { min: 16000, median: 16250, max: 17000 } },
    ],
  };

  it("says the dev and production stacks cannot be previewed, names the missing plugins, and the e2e stack's size", () => {
    const text = renderReport(report(measured));
    expect(text).toContain("The dev and production stacks cannot be previewed here");
    expect(text).toContain("resource-command-v1.2.1, resource-tls-v5.6.1");
    expect(text).toContain("stands in: 47 resources to create");
  });

  it("gives min / median / max and the ratio of medians to the one-resource program", () => {
    const text = renderReport(report(measured));
    expect(text).toContain("| e2e stack | 47 | 16.00 s / 16.25 s / 17.00 s | 2.50 |");
    expect(text).toContain("| one-resource program | 3 | 6.00 s / 6.50 s / 7.00 s | 1.00 |");
  });

  it("does not claim dev/production are unpreviewable when every plugin exists", () => {
    expect(renderReport(report({ ...measured, missingPlugins: [] }))).not.toContain("cannot be previewed here");
  });
});
