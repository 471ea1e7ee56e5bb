import { describe, expect, it } from "vitest";
import { DRIFT_ADVICE, renderCreateVmBody, renderDeleteVmBody, renderWaitReadyBody } from "../../../components/hyperv/scripts";
import { powershellCommand, psQuote } from "../../../components/scripts/powershell";
import { devHost, devWorkerArgs } from "../../unit/scripts/devWorker";
import { expectGolden } from "../../support/golden";
import { parsePowerShell } from "../../../tools/checks/powershellParser";

const host = devHost();
const worker = devWorkerArgs();
const windowsVm = {
  vmName: worker.node.name,
  vmPath: host.vmPath,
  switchName: host.switchName,
  baseDisk: host.baseDisks.windows,
  os: "windows" as const,
  vcpu: worker.size.vcpu,
  memoryGiB: worker.size.memoryGiB,
  diskGiB: worker.size.diskGiB,
  withSetupScript: true,
};
const debianVm = { ...windowsVm, vmName: "otcp1", baseDisk: host.baseDisks.debian, os: "debian" as const, vcpu: 2, memoryGiB: 4, diskGiB: 40 };

describe("Hyper-V host scripts", () => {
  it("match the golden files (dev stack: otwin1 and otcp1 on hv1)", () => {
    expectGolden("hyperv/otwin1/create.ps1", powershellCommand("create VM otwin1", renderCreateVmBody(windowsVm), { readsStdin: true }).script);
    expectGolden("hyperv/otwin1/delete.ps1", powershellCommand("remove VM otwin1", renderDeleteVmBody(windowsVm)).script);
    expectGolden("hyperv/otwin1/ready.ps1", powershellCommand("wait for VM otwin1", renderWaitReadyBody({ vmName: "otwin1", address: "192.168.50.21", minutes: 45 })).script);
    expectGolden("hyperv/otcp1/create.ps1", powershellCommand("create VM otcp1", renderCreateVmBody(debianVm), { readsStdin: true }).script);
  });

  it("creates a guarded Generation 2 VM with static memory, Secure Boot per OS and no automatic checkpoints", () => {
    const windows = renderCreateVmBody(windowsVm);
    expect(windows).toMatch(/if \(\(\$null -ne \$existing\) -and \(\$existing.Notes -eq 'opentwin: provisioned'\)\) \{[\s\S]*?exit 0/);
    expect(windows).toContain("New-VHD -Path $osDisk -ParentPath $baseDisk -Differencing");
    expect(windows).toContain("-Generation 2");
    expect(windows).toContain("-DynamicMemoryEnabled $false");
    expect(windows).toContain("-SecureBootTemplate 'MicrosoftWindows'");
    expect(windows).toContain("-AutomaticCheckpointsEnabled $false");
    expect(windows).toContain("$diskBytes = 80 * 1GB");
    expect(windows).toContain("Windows\\Panther");
    expect(windows).toContain("$Stdin.secrets.unattendXml");
    const debian = renderCreateVmBody(debianVm);
    expect(debian).toContain("-SecureBootTemplate 'MicrosoftUEFICertificateAuthority'");
    expect(debian).toContain("-FileSystem FAT32 -NewFileSystemLabel 'cidata'");
    for (const file of ["user-data", "meta-data", "network-config"]) expect(debian).toContain(`'${file}'`);
    expect(debian).not.toContain("Panther");
  });

  it("passes paths with spaces and apostrophes only as single-quoted literals", () => {
    const odd = { ...windowsVm, vmPath: "D:\\VMs\\O'Brien lab", switchName: "Lab ‘switch’ $x", baseDisk: "D:\\base `n.vhdx" };
    const body = renderCreateVmBody(odd);
    expect(body).toContain(`$vmRoot = ${psQuote(odd.vmPath)}`);
    expect(body).toContain("$vmRoot = 'D:\\VMs\\O''Brien lab'");
    expect(body).toContain(`$switchName = ${psQuote(odd.switchName)}`);
    expect(body).toContain(`$baseDisk = ${psQuote(odd.baseDisk)}`);
    expect(renderDeleteVmBody(odd)).toContain("$vmRoot = 'D:\\VMs\\O''Brien lab'");
  });

  it("deletes only what exists, and only what this program created", () => {
    const body = renderDeleteVmBody(windowsVm);
    expect(body).toContain("if ($null -ne $vm) {");
    expect(body).toMatch(/if \(-not \(\[string\]\$vm\.Notes\)\.StartsWith\('opentwin:'\)\) \{ throw "VM \$vmName exists but was not created by this program/);
    expect(body).toMatch(/if \(Test-Path -LiteralPath \$vmDir\) \{\n  if \(-not \(Test-Path -LiteralPath \(Join-Path \$vmDir '\.opentwin'\)\)\) \{ throw "folder \$vmDir exists but was not created by this program/);
    // The guards come before anything is stopped or removed.
    expect(body.indexOf("StartsWith('opentwin:')")).toBeLessThan(body.indexOf("Remove-VM"));
    expect(body.indexOf("'.opentwin'")).toBeLessThan(body.indexOf("Remove-Item"));
  });

  it("marks its VM and folder as soon as they exist, so a failed run can be told from a stranger's VM", () => {
    const body = renderCreateVmBody(windowsVm);
    expect(body.indexOf("-Notes 'opentwin: provisioning'")).toBeGreaterThan(body.indexOf("New-VM "));
    expect(body.indexOf("-Notes 'opentwin: provisioning'")).toBeLessThan(body.indexOf("Set-VMMemory"));
    expect(body.indexOf("'.opentwin'")).toBeLessThan(body.indexOf("New-VHD"));
  });

  it("marks the VM provisioned only after Start-VM succeeded, so a failed start is rebuilt by a re-run", () => {
    for (const body of [renderCreateVmBody(windowsVm), renderCreateVmBody(debianVm)]) {
      const build = body.slice(body.indexOf("New-VM "));
      const start = build.indexOf("Start-VM -Name $vmName");
      const mark = build.indexOf("Set-VM -Name $vmName -Notes 'opentwin: provisioned'");
      expect(start).toBeGreaterThan(-1);
      expect(mark).toBeGreaterThan(start);
      // The mark is the only "provisioned" Notes written, and nothing can fail between the start and it.
      expect(body.split("-Notes 'opentwin: provisioned'").length).toBe(2);
      expect(build.slice(start, mark).split("\n").filter((l) => l.trim() !== "" && !l.trim().startsWith("#"))).toEqual(["Start-VM -Name $vmName"]);
    }
  });

  it("starts a VM marked provisioned that is Off or Saved, resumes a paused one, and leaves a running one alone", () => {
    const body = renderCreateVmBody(windowsVm);
    const guard = /if \(\(\$null -ne \$existing\) -and \(\$existing\.Notes -eq 'opentwin: provisioned'\)\) \{\n([\s\S]*?)\n\}\n/.exec(body)?.[1];
    expect(guard).toBeDefined();
    const lines = guard!.split("\n").map((l) => l.trim()).filter((l) => !l.startsWith("#"));
    // After the comparison with the stack (which throws on a difference), only start, resume or nothing.
    expect(lines.slice(lines.findIndex((l) => l.startsWith("if ($drift.Count -gt 0)")) + 1)).toEqual([
      `if ($existing.State -eq 'Paused') { Resume-VM -Name $vmName; Write-Output "VM $vmName exists: resumed"; exit 0 }`,
      `if (@('Off', 'Saved') -contains [string]$existing.State) { Start-VM -Name $vmName; Write-Output "VM $vmName exists: started"; exit 0 }`,
      `Write-Output "VM $vmName exists: nothing to do"`,
      "exit 0",
    ]);
    // The comparison changes nothing: only reads (Get-*) besides the throw.
    const commands = guard!.match(/\b[A-Z][a-z]+-VM[A-Za-z]*|\b[A-Z][a-z]+-VHD\b/g) ?? [];
    expect([...new Set(commands)].filter((c) => !c.startsWith("Get-"))).toEqual(["Resume-VM", "Start-VM"]);
    // The exists path comes before the removal of leftovers, whose ownership guard is unchanged.
    expect(body.indexOf("exists: nothing to do")).toBeLessThan(body.indexOf("StartsWith('opentwin:')"));
    expect(body.indexOf("StartsWith('opentwin:')")).toBeLessThan(body.indexOf("Remove-VM"));
  });

  it("compares an existing VM with the stack (vcpu, static memory, OS disk parent and size, switch) before doing anything", () => {
    const body = renderCreateVmBody({ ...debianVm, vcpu: 3, memoryGiB: 6, diskGiB: 50 });
    const guard = body.slice(body.indexOf("if (($null -ne $existing)"), body.indexOf("exists: nothing to do"));
    expect(guard).toContain("$wantVcpu = 3");
    expect(guard).toContain("$wantMemory = 6 * 1GB");
    expect(guard).toContain("$wantDisk = 50 * 1GB");
    for (const check of [
      "if ($existing.ProcessorCount -ne $wantVcpu)",
      "if ($existing.MemoryStartup -ne $wantMemory)",
      "if ($existing.DynamicMemoryEnabled)",
      "if ($osVhd.ParentPath -ne $baseDisk)",
      "if ($osVhd.Size -ne $expectedDisk)",
      "if ($adapter.SwitchName -ne $switchName)",
      "$drift += \"the OS disk $osDisk is not attached\"",
    ]) {
      expect(guard).toContain(check);
      // Every comparison comes before the one throw, which comes before start/resume.
      expect(guard.indexOf(check)).toBeLessThan(guard.indexOf("if ($drift.Count -gt 0)"));
    }
    expect(guard.indexOf("if ($drift.Count -gt 0)")).toBeLessThan(guard.indexOf("Resume-VM"));
    expect(guard.indexOf("if ($drift.Count -gt 0)")).toBeLessThan(guard.indexOf("Start-VM"));
    // The disk is expected as the create makes it: at least the base disk's size.
    expect(guard).toContain("[Math]::Max($wantDisk, (Get-VHD -Path $baseDisk).Size)");
  });

  it("stops a VM that differs with every difference named and what to do instead", async () => {
    const body = renderCreateVmBody(debianVm);
    const line = body.split("\n").find((l) => l.includes("if ($drift.Count -gt 0)"))!;
    expect(line).toContain(`throw ("VM $vmName differs from the stack: " + ($drift -join '; ') + '. ' + ${psQuote(DRIFT_ADVICE)})`);
    expect(DRIFT_ADVICE).toContain("resizing a Kubernetes node in place is not done");
    expect(DRIFT_ADVICE).toContain("remove the node from the stack and `pulumi up` (it is drained and removed), then add it back");
    expect(DRIFT_ADVICE).toContain("`pulumi up --replace <urn>`");
    // The advice is one verbatim literal: its backticks are text, not PowerShell escapes.
    const parsed = await parsePowerShell(powershellCommand("x", body, { readsStdin: true }).script);
    expect(parsed.literals.some((l) => l.kind === "verbatim" && l.value === DRIFT_ADVICE)).toBe(true);
    // Each difference message names what the VM has and what the stack asks for.
    for (const message of ["vcpu is $($existing.ProcessorCount), the stack asks for $wantVcpu", "the stack asks for static memory", "the stack asks for base disk $baseDisk", "the stack asks for $switchName"]) {
      expect(body).toContain(message);
    }
  });

  it("create and delete scripts parse as PowerShell", async () => {
    for (const script of [renderCreateVmBody(windowsVm), renderCreateVmBody(debianVm), renderDeleteVmBody(windowsVm)]) {
      expect((await parsePowerShell(powershellCommand("x", script, { readsStdin: true }).script)).problems).toEqual([]);
    }
  });

  it("waits for TCP 22 with the given timeout, or for the heartbeat without an address", () => {
    expect(renderWaitReadyBody({ vmName: "v", address: "10.0.0.5", minutes: 7 })).toContain("Test-Port '10.0.0.5' 22");
    expect(renderWaitReadyBody({ vmName: "v", address: "10.0.0.5", minutes: 7 })).toContain("AddMinutes(7)");
    expect(renderWaitReadyBody({ vmName: "v", minutes: 7 })).toContain("Heartbeat -like 'Ok*'");
  });
});
