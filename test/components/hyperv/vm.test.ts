import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { isSecretValue, runUnderMocks, unwrapSecrets, type RecordedResource } from "../../../tools/render/mockRuntime";
import { decodeCommand, POWERSHELL_PREFIX } from "../../../components/scripts/powershell";
import { devHost, FAKE_HOST_KEY } from "../../unit/scripts/devWorker";

const host = { ...devHost(), vmPath: "D:\\VMs\\O'Brien lab", switchName: "Lab ‘switch’" };
const USER_DATA = "#cloud-config\nhostname: otcp1\n";

let resources: RecordedResource[] = [];
const run = () => runUnderMocks({ project: "opentwin", stack: "dev" }, async () => {
  const { HyperVVm } = await import("../../../components/hyperv/vm");
  new HyperVVm("otcp1", {
    host,
    vmName: "otcp1",
    os: "debian",
    vcpu: 2,
    memoryGiB: 4,
    diskGiB: 40,
    firstBoot: { kind: "cloud-init", userData: pulumi.secret(USER_DATA), metaData: "instance-id: x\n", networkConfig: "network: {version: 2}\n" },
    sshMinutes: 15,
    address: "192.168.50.11",
  });
});

let commands: RecordedResource[] = [];
beforeAll(async () => {
  resources = await run();
  commands = resources.filter((r) => r.type === "command:remote:Command");
}, 60_000);
const text = (value: unknown) => String(unwrapSecrets(value));
const scriptOf = (r: RecordedResource, key: "create" | "delete") => {
  const decoded = decodeCommand(text(r.inputs[key]));
  return decoded.includes("[ScriptBlock]::Create($Stdin.script)") ? (JSON.parse(text(r.inputs.stdin)) as { script: string }).script : decoded;
};

describe("HyperVVm under mocks", () => {
  it("has a machine step (create and delete) and a ready step after it, both on the Hyper-V host", () => {
    expect(commands.map((c) => c.name)).toEqual(["otcp1-machine", "otcp1-ready"]);
    for (const c of commands) {
      expect((unwrapSecrets(c.inputs.connection) as { host: string }).host).toBe("192.168.50.2");
      expect(text(c.inputs.create).startsWith(POWERSHELL_PREFIX)).toBe(true);
      expect(c.parent).toBe("opentwin:hyperv:HyperVVm::otcp1");
    }
    expect(commands[0]!.inputs.delete).toBeDefined();
    expect(scriptOf(commands[1]!, "create")).toContain("Test-Port '192.168.50.11' 22");
  });

  it("starts every decoded script with the frame naming the step", () => {
    const create = scriptOf(commands[0]!, "create");
    expect(create.startsWith("$ErrorActionPreference = 'Stop'\n$ProgressPreference = 'SilentlyContinue'\nSet-StrictMode -Version 3.0\ntrap {")).toBe(true);
    expect(create).toContain("step ''create VM otcp1'' failed: ");
    expect(scriptOf(commands[0]!, "delete")).toContain("step ''remove VM otcp1'' failed: ");
  });

  it("sends the cloud-init files only on stdin, as a secret", () => {
    const machine = commands[0]!;
    expect(isSecretValue(machine.inputs.stdin)).toBe(true);
    const document = JSON.parse(text(machine.inputs.stdin)) as { secrets: Record<string, string> };
    expect(document.secrets).toEqual({ userData: USER_DATA, metaData: "instance-id: x\n", networkConfig: "network: {version: 2}\n" });
    for (const key of ["create", "delete"] as const) {
      expect(decodeCommand(text(machine.inputs[key]))).not.toContain("hostname: otcp1");
      expect(text(machine.inputs[key])).not.toContain("FAKE-HOST-KEY");
    }
    expect(FAKE_HOST_KEY).toContain("FAKE-HOST-KEY");
  });

  it("quotes the host's path and switch name as PowerShell literals", () => {
    const create = scriptOf(commands[0]!, "create");
    expect(create).toContain("$vmRoot = 'D:\\VMs\\O''Brien lab'");
    expect(create).toContain("$switchName = 'Lab ‘‘switch’’'");
    expect(create).toContain("-SecureBootTemplate 'MicrosoftUEFICertificateAuthority'");
    expect(scriptOf(commands[0]!, "delete")).toContain("$vmRoot = 'D:\\VMs\\O''Brien lab'");
  });

  it("refuses a first-boot kind that does not fit the OS", async () => {
    const { HyperVVm } = await import("../../../components/hyperv/vm");
    expect(() => new HyperVVm("bad", { host, vmName: "bad", os: "windows", vcpu: 0, memoryGiB: 4, diskGiB: 40, firstBoot: { kind: "cloud-init", userData: "", metaData: "", networkConfig: "" }, sshMinutes: 1 })).toThrow(/firstBoot.kind 'unattend'.*vcpu/);
  });
});
