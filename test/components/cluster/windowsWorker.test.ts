import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { isSecretValue, runUnderMocks, unwrapSecrets, type RecordedResource } from "../../../tools/render/mockRuntime";
import { decodeCommand, POWERSHELL_PREFIX, psFrame } from "../../../components/scripts/powershell";
import { devHost, devWorkerArgs, FAKE_ADMIN_PASSWORD, FAKE_HOST_KEY, FAKE_PRIVATE_KEY } from "../../unit/scripts/devWorker";

const ODD_PATH = "D:\\VMs\\O'Brien lab";
const dependsOn = new Map<string, string[]>();

let resources: RecordedResource[] = [];
const run = () => runUnderMocks({ project: "opentwin", stack: "dev" }, async () => {
  const names = new Map<pulumi.Resource, string>();
  pulumi.runtime.registerStackTransformation((args) => {
    names.set(args.resource, args.name);
    const deps = args.opts.dependsOn;
    const list = deps === undefined ? [] : Array.isArray(deps) ? deps : [deps];
    dependsOn.set(args.name, list.map((d) => names.get(d as pulumi.Resource) ?? "?"));
    return undefined;
  });
  const { WindowsWorker } = await import("../../../components/cluster/windowsWorker");
  const args = devWorkerArgs({ host: { ...devHost(), vmPath: ODD_PATH } });
  new WindowsWorker("otwin1", { ...args, adminPassword: pulumi.secret(FAKE_ADMIN_PASSWORD), vmAccess: { ...args.vmAccess, privateKey: pulumi.secret(FAKE_PRIVATE_KEY) } });
});

let commands: RecordedResource[] = [];
beforeAll(async () => {
  resources = await run();
  commands = resources.filter((r) => r.type === "command:remote:Command");
}, 60_000);
const byName = (name: string) => {
  const found = commands.find((c) => c.name === name);
  if (found === undefined) throw new Error(`no step ${name}`);
  return found;
};
const text = (value: unknown) => (value === undefined ? undefined : String(unwrapSecrets(value)));
const connectionHost = (r: RecordedResource) => (unwrapSecrets(r.inputs.connection) as { host: string }).host;

describe("WindowsWorker under mocks", () => {
  it("creates the steps in order, each after the one before", () => {
    expect(commands.map((c) => c.name)).toEqual([
      "otwin1-vm-machine",
      "otwin1-vm-ready",
      "otwin1-prepare",
      "otwin1-restart",
      "otwin1-containerd",
      "otwin1-kubelet",
      "otwin1-join-command",
      "otwin1-join",
      "otwin1-registered",
    ]);
    const names = commands.map((c) => c.name);
    for (let i = 1; i < names.length; i++) expect(dependsOn.get(names[i]!), names[i]).toContain(names[i - 1]);
  });

  it("sends Windows (guest and host) steps as encoded PowerShell that starts with the frame, and bash to the control plane", () => {
    for (const c of commands) {
      const onControlPlane = connectionHost(c) === "192.168.50.11";
      for (const key of ["create", "update", "delete"] as const) {
        const line = text(c.inputs[key]);
        if (line === undefined) continue;
        if (onControlPlane) {
          expect(line.startsWith("set -eu\n"), `${c.name}.${key}`).toBe(true);
        } else {
          expect(line.startsWith(POWERSHELL_PREFIX), `${c.name}.${key}`).toBe(true);
          expect(decodeCommand(line).startsWith(psFrame("x").split("trap")[0]!), `${c.name}.${key}`).toBe(true);
        }
      }
    }
    expect(connectionHost(byName("otwin1-prepare"))).toBe("192.168.50.21");
    expect(connectionHost(byName("otwin1-restart"))).toBe("192.168.50.2");
  });

  it("never puts the admin password or a private key on a command line; the unattend travels secret on stdin", () => {
    for (const c of commands) {
      for (const key of ["create", "update", "delete"] as const) {
        const line = text(c.inputs[key]);
        if (line === undefined) continue;
        const decoded = line.startsWith(POWERSHELL_PREFIX) ? decodeCommand(line) : line;
        for (const secret of [FAKE_ADMIN_PASSWORD, "FAKE-KEY-MATERIAL", "FAKE-HOST-KEY", "&apos;&lt;&amp;&gt;"]) {
          expect(decoded, `${c.name}.${key}`).not.toContain(secret);
        }
      }
    }
    const machine = byName("otwin1-vm-machine");
    expect(isSecretValue(machine.inputs.stdin)).toBe(true);
    const document = JSON.parse(text(machine.inputs.stdin)!) as { secrets: { unattendXml: string; setupScript: string } };
    expect(document.secrets.unattendXml).toContain("<Value>Adm1n-P@ss&apos;&lt;&amp;&gt;&quot;word</Value>");
    expect(document.secrets.setupScript).toContain("administrators_authorized_keys");
    expect(FAKE_HOST_KEY).not.toBe(FAKE_PRIVATE_KEY);
  });

  it("fetches the join command as secret output and hands it to the join on stdin only", () => {
    const token = byName("otwin1-join-command");
    expect(text(token.inputs.create)).toContain("kubeadm token create --print-join-command --ttl 1h");
    expect(token.inputs.logging).toBe("none");
    const join = byName("otwin1-join");
    expect(isSecretValue(join.inputs.stdin)).toBe(true);
    expect(JSON.parse(text(join.inputs.stdin)!)).toEqual({ secrets: { joinCommand: "[secret]" } });
    expect(join.inputs.logging).toBe("none");
  });

  it("undoes the node on delete: drain, reset, delete the Node, remove the VM", () => {
    expect(text(byName("otwin1-registered").inputs.delete)).toContain("drain 'otwin1' --ignore-daemonsets --delete-emptydir-data --force --timeout=10m");
    expect(decodeCommand(text(byName("otwin1-join").inputs.delete)!)).toContain("reset -f");
    expect(decodeCommand(text(byName("otwin1-join").inputs.delete)!)).toContain("Remove-HnsNetwork");
    expect(text(byName("otwin1-join-command").inputs.delete)).toContain("delete node 'otwin1' --ignore-not-found");
    expect(decodeCommand(text(byName("otwin1-vm-machine").inputs.delete)!)).toContain("Remove-VM -Name $vmName -Force");
  });

  it("reaches the decoded host scripts with the odd vmPath as a single-quoted literal", () => {
    const machine = byName("otwin1-vm-machine");
    const literal = "$vmRoot = 'D:\\VMs\\O''Brien lab'";
    // The create script is longer than one command line: the line is a loader, the script rides in stdin.
    expect(decodeCommand(text(machine.inputs.create)!)).toContain("[ScriptBlock]::Create($Stdin.script)");
    expect((JSON.parse(text(machine.inputs.stdin)!) as { script: string }).script).toContain(literal);
    expect(decodeCommand(text(machine.inputs.delete)!)).toContain(literal);
  });

  it("derives the restart wait and containerd from prepare's output (containerd checks the boot when a restart was scheduled)", async () => {
    const { planWindowsWorker } = await import("../../../components/cluster/windowsWorkerPlan");
    const prepareOutput = "[stdout of otwin1-prepare]"; // what the mocks return for prepare
    const expected = planWindowsWorker(devWorkerArgs()).afterPrepare(prepareOutput);
    expect(decodeCommand(text(byName("otwin1-restart").inputs.create)!)).toBe(expected.rebootWait.script);
    const containerd = byName("otwin1-containerd");
    const decoded = decodeCommand(text(containerd.inputs.create)!);
    const script = expected.containerd.scriptOnStdin ? (JSON.parse(text(containerd.inputs.stdin)!) as { script: string }).script : decoded;
    expect(script).toBe(expected.containerd.script);
    expect(isSecretValue(containerd.inputs.stdin)).toBe(true);
  });

  it("parents every step under the worker", () => {
    const worker = resources.find((r) => r.type === "opentwin:cluster:WindowsWorker");
    expect(worker?.name).toBe("otwin1");
    expect(resources.find((r) => r.type === "opentwin:hyperv:HyperVVm")?.parent).toBe("opentwin:cluster:WindowsWorker::otwin1");
    for (const c of commands.filter((c) => !c.name.startsWith("otwin1-vm-"))) expect(c.parent).toBe("opentwin:cluster:WindowsWorker::otwin1");
  });
});
