import { describe, expect, it } from "vitest";
import { planWindowsWorker, systemReservedMemoryMi, windowsWorkerProblems } from "../../../components/cluster/windowsWorkerPlan";
import { decodeCommand } from "../../../components/scripts/powershell";
import { renderContainerdConfig } from "../../../components/scripts/windows/containerd";
import { parse } from "yaml";
import { renderJoinConfiguration } from "../../../components/scripts/windows/join";
import { kubeletServiceCommandLine } from "../../../components/scripts/windows/kubelet";
import { SECRET_TEXT } from "../../../tools/render/mockRuntime";
import { devWorkerArgs, FAKE_ADMIN_PASSWORD } from "./devWorker";
import { expectGolden } from "../../support/golden";

const args = devWorkerArgs();
const plan = planWindowsWorker(args);
/** What prepare prints when it scheduled the restart at 1767225600 (2026-01-01T00:00:00Z) on the guest's clock. */
const SCHEDULED_OUTPUT = "opentwin: restart scheduled at 1767225600\n";
const INSTALLED_OUTPUT = "The Containers feature is installed: nothing to do\n";
const afterRestart = plan.afterPrepare(SCHEDULED_OUTPUT);
const noRestart = plan.afterPrepare(INSTALLED_OUTPUT);

describe("Windows worker scripts for the dev stack's otwin1", () => {
  it("match the golden files", () => {
    expectGolden("windows/otwin1/unattend.xml", plan.unattend(SECRET_TEXT));
    expectGolden("windows/otwin1/firstboot.ps1", plan.firstBootScript);
    expectGolden("windows/otwin1/10-prepare.ps1", plan.prepare.script);
    expectGolden("windows/otwin1/20-restart-wait.host.ps1", afterRestart.rebootWait.script);
    expectGolden("windows/otwin1/20-no-restart-wait.host.ps1", noRestart.rebootWait.script);
    expectGolden("windows/otwin1/30-containerd.ps1", noRestart.containerd.script);
    expectGolden("windows/otwin1/30-containerd-after-restart.ps1", afterRestart.containerd.script);
    expectGolden("windows/otwin1/40-kubelet.ps1", plan.kubelet.script);
    expectGolden("windows/otwin1/50-join-command.controlplane.sh", plan.joinCommand);
    expectGolden("windows/otwin1/60-join.ps1", plan.join.script);
    expectGolden("windows/otwin1/70-registered.controlplane.sh", plan.waitRegistered);
    expectGolden("windows/otwin1/delete-70-drain.controlplane.sh", plan.drain);
    expectGolden("windows/otwin1/delete-60-reset.ps1", plan.reset.script);
    expectGolden("windows/otwin1/delete-50-node.controlplane.sh", plan.deleteNode);
  });

  it("every command line decodes to its script (or to a loader that reads it from stdin)", () => {
    for (const cmd of [plan.prepare, noRestart.containerd, afterRestart.containerd, plan.kubelet, plan.join, plan.reset, afterRestart.rebootWait]) {
      const decoded = decodeCommand(cmd.commandLine);
      if (cmd.scriptOnStdin) expect(decoded).toContain("[ScriptBlock]::Create($Stdin.script)");
      else expect(decoded).toBe(cmd.script);
      expect(cmd.commandLine.length).toBeLessThanOrEqual(8000);
    }
  });

  it("puts no secret in any script", () => {
    const all = [plan.firstBootScript, plan.prepare.script, afterRestart.containerd.script, plan.kubelet.script, plan.join.script, plan.reset.script];
    for (const script of all) expect(script).not.toContain(FAKE_ADMIN_PASSWORD);
    expect(plan.join.script).toContain("$Stdin.secrets.joinCommand");
  });

  it("pins containerd's sandbox image to the kubelet's pause image and the CNI folders", () => {
    const config = renderContainerdConfig({ version: "2.1.4", pauseImage: "registry.k8s.io/pause:3.10.1" });
    expect(config).toContain(`sandbox = "registry.k8s.io/pause:3.10.1"`);
    expect(config).toContain(`bin_dirs = ["C:\\\\opt\\\\cni\\\\bin"]`);
    expect(config).toContain(`conf_dir = "C:\\\\etc\\\\cni\\\\net.d"`);
    expect(renderContainerdConfig({ version: "1.7.28", pauseImage: "p" })).toContain(`sandbox_image = "p"`);
    expect(noRestart.containerd.script).toContain("pause:3.10.1");
  });

  it("runs the kubelet as a Windows service without cgroups or allocatable enforcement, with memory reserved", () => {
    const line = kubeletServiceCommandLine({ nodeName: "otwin1", nodeIp: "192.168.50.21", systemReservedMemoryMi: systemReservedMemoryMi(8) });
    expect(line).toContain("--windows-service");
    expect(line).toContain("--cgroups-per-qos=false");
    expect(line).toContain("--enforce-node-allocatable= ");
    expect(line).toContain("--system-reserved=memory=2048Mi");
    expect(line).toContain("--container-runtime-endpoint=npipe://./pipe/containerd-containerd");
    expect(systemReservedMemoryMi(4)).toBe(1024);
  });

  it("joins with a JoinConfiguration of the catalog's kubeadm API, the containerd pipe and the Windows taint", () => {
    const config = parse(renderJoinConfiguration({ kubeadmApi: "kubeadm.k8s.io/v1beta4", apiServerEndpoint: "192.168.50.11:6443", nodeName: "otwin1" }));
    expect(config.apiVersion).toBe("kubeadm.k8s.io/v1beta4");
    expect(config.nodeRegistration).toEqual({
      name: "otwin1",
      criSocket: "npipe://./pipe/containerd-containerd",
      taints: [{ key: "os", value: "windows", effect: "NoSchedule" }],
    });
    expect(plan.join.script).toContain("apiVersion: kubeadm.k8s.io/v1beta4");
    expect(plan.join.script).toContain("apiServerEndpoint: 192.168.50.11:6443");
  });

  it("verifies downloads against the pinned checksums", () => {
    expect(noRestart.containerd.script).toContain("sha256:2c50aeb1e6d9ad513e986408ea066919318f14271c5a1b952f118878ecfa6a56");
    expect(plan.kubelet.script).toContain("'sha512:9acbdb18");
    expect(plan.kubelet.script).toContain("Get-FileHash");
  });

  it("reports every bad argument at once", () => {
    const bad = { ...args, node: { name: "a-name-longer-than-15", address: "x" }, kubernetes: { ...args.kubernetes, version: "1.20.0", artifacts: [] } };
    const problems = windowsWorkerProblems(bad);
    expect(problems.some((p) => p.includes("1 to 15"))).toBe(true);
    expect(problems.some((p) => p.includes("1.20.0"))).toBe(true);
    expect(problems.some((p) => p.includes("containerd-windows-amd64"))).toBe(true);
    expect(problems.some((p) => p.includes("kubernetes-node-windows-amd64"))).toBe(true);
    expect(() => planWindowsWorker(bad)).toThrow(/WindowsWorker/);
  });
});
