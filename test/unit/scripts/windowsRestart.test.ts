/**
 * The restart for the Containers feature (design: components/scripts/windows/prepare.ts): the steps
 * after prepare must not run in the boot that is about to shut down.
 */
import { describe, expect, it } from "vitest";
import { planWindowsWorker } from "../../../components/cluster/windowsWorkerPlan";
import { REBOOT_DOWN_MINUTES } from "../../../components/hyperv/scripts";
import { renderPrepareBody, RESTART_SCHEDULED, scheduledRestartOf } from "../../../components/scripts/windows/prepare";
import { parsePowerShell } from "../../../tools/checks/powershellParser";
import { rebootGuardProblems, waitProblems } from "../../../tools/checks/powershellRules";
import { devWorkerArgs } from "./devWorker";

const plan = planWindowsWorker(devWorkerArgs());
const AT = 1767225600;

/** What the prepare script prints when it scheduled the restart at `at` (the literal taken from the script). */
function printedBy(prepareBody: string, at: number): string {
  const line = /Write-Output \('([^']*)' \+ \$scheduledAt\)/.exec(prepareBody);
  if (line === null) throw new Error("the prepare script prints no restart time");
  return `${line[1]}${at}\n`;
}

/** The code of a script after the error frame (the frame ends with the trap's closing brace). */
function afterFrame(script: string): string {
  return script.slice(script.indexOf("\n}\n") + 3);
}

const firstStatement = (code: string) => code.split("\n").find((l) => l.trim() !== "" && !l.trim().startsWith("#")) ?? "";

describe("the Containers feature's restart", () => {
  it("prepare takes the time before it schedules the restart and prints it with the marker", () => {
    const body = renderPrepareBody();
    expect(body.indexOf("$scheduledAt = [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()")).toBeGreaterThan(-1);
    expect(body.indexOf("$scheduledAt =")).toBeLessThan(body.indexOf("shutdown.exe /r"));
    expect(scheduledRestartOf(printedBy(body, AT))).toEqual({ at: AT });
  });

  it("reads prepare's output: no restart, a restart with its time, a restart without one", () => {
    expect(scheduledRestartOf("The Containers feature is installed: nothing to do\n")).toBeUndefined();
    expect(scheduledRestartOf("The Containers feature is installed\n")).toBeUndefined();
    expect(scheduledRestartOf("[stdout of otwin1-prepare]")).toBeUndefined();
    expect(scheduledRestartOf(`${RESTART_SCHEDULED} at ${AT}\r\n`)).toEqual({ at: AT });
    expect(scheduledRestartOf(`${RESTART_SCHEDULED}\n`)).toEqual({ at: undefined });
  });

  it("containerd after a scheduled restart stops, before any work, unless the guest booted after that time", () => {
    const script = plan.afterPrepare(printedBy(renderPrepareBody(), AT)).containerd.script;
    const code = afterFrame(script);
    expect(firstStatement(code)).toBe(`$restartScheduledAt = ${AT}`);
    const check = code.indexOf("if ($lastBoot -le $restartScheduledAt) {");
    expect(check).toBeGreaterThan(-1);
    expect(code.slice(check)).toMatch(/^if \(\$lastBoot -le \$restartScheduledAt\) \{\n  throw \('the VM has not restarted since the prepare step scheduled its restart/);
    expect(code).toContain("$lastBoot = ([DateTimeOffset](Get-CimInstance -ClassName Win32_OperatingSystem).LastBootUpTime).ToUnixTimeSeconds()");
    // Nothing is downloaded, stopped, written or registered before the check.
    for (const work of ["Get-VerifiedArtifact $url", "New-Item", "Stop-Service", "WriteAllText", "--register-service", "Install-WindowsFeature"]) {
      const at = code.indexOf(work);
      if (at >= 0) expect(at, work).toBeGreaterThan(check);
    }
    // ... and then the feature must be Installed.
    expect(code.indexOf("(Get-WindowsFeature -Name Containers).InstallState -ne 'Installed'")).toBeGreaterThan(check);
  });

  it("containerd without a scheduled restart checks only that the feature is installed, first", () => {
    const code = afterFrame(plan.afterPrepare("The Containers feature is installed: nothing to do\n").containerd.script);
    expect(code).not.toContain("$restartScheduledAt");
    expect(firstStatement(code)).toBe("if ((Get-WindowsFeature -Name Containers).InstallState -ne 'Installed') {");
  });

  it("the host waits, bounded, for TCP 22 to close on two probes in a row before it waits for it to answer", () => {
    const scheduled = plan.afterPrepare(`${RESTART_SCHEDULED} at ${AT}\n`).rebootWait.script;
    const down = scheduled.indexOf(`$downBy = (Get-Date).AddMinutes(${REBOOT_DOWN_MINUTES})`);
    const up = scheduled.indexOf("$deadline = (Get-Date).AddMinutes(");
    expect(down).toBeGreaterThan(-1);
    expect(down).toBeLessThan(up);
    expect(scheduled).toContain("while (($closed -lt 2) -and ((Get-Date) -lt $downBy)) {");
    expect(scheduled).toContain("if (Test-Port $address 22) { $closed = 0 } else { $closed++ }");
    // A re-run after the restart happened (prepare found the feature installed) does not wait for the port to close.
    const after = plan.afterPrepare("The Containers feature is installed: nothing to do\n").rebootWait.script;
    expect(after).not.toContain("$downBy");
    expect(after).toContain("$deadline = (Get-Date).AddMinutes(");
  });

  it("every variant parses as PowerShell; prepare is guarded and the host step is a bounded wait (the host-check rules)", async () => {
    const variants = [plan.afterPrepare(`${RESTART_SCHEDULED} at ${AT}\n`), plan.afterPrepare("")];
    const scripts = [plan.prepare.script, ...variants.flatMap((v) => [v.rebootWait.script, v.containerd.script])];
    for (const script of scripts) expect((await parsePowerShell(script)).problems).toEqual([]);
    expect(await rebootGuardProblems(plan.prepare.script)).toEqual([]);
    for (const v of variants) expect(waitProblems(v.rebootWait.script)).toEqual([]);
  });
});
