/** LinuxWorker under Pulumi mocks: prepare, join with a fresh secret join command, labels, and removal in the documented order. */
import { describe, expect, it } from "vitest";
import * as pulumi from "@pulumi/pulumi";
import { isSecretValue, unwrapSecrets } from "../../../tools/render/mockRuntime";
import { stackScriptArgs } from "../../unit/debian/stackValues";
import { commands, controlPlaneArgsOf, host, PRIVATE_KEY, runRecorded } from "./debianHarness";

describe("LinuxWorker (production otlnx1)", async () => {
  const r = await runRecorded("production", async () => {
    const { ControlPlane } = await import("../../../components/cluster/controlPlane");
    const { LinuxWorker, MONGODB_ROLE_LABEL } = await import("../../../components/cluster/linuxWorker");
    const cpArgs = controlPlaneArgsOf("production");
    const cp = new ControlPlane("cp", cpArgs);
    const w = stackScriptArgs("production").linuxWorkers[0]!;
    new LinuxWorker("otlnx1", {
      node: { ...w.node, host: host("hv1") },
      size: { vcpu: 4, memoryGiB: 16, diskGiB: 200 },
      vmAccess: { ...cpArgs.vmAccess, privateKey: pulumi.secret(PRIVATE_KEY) },
      controlPlane: cp,
      network: { prefixLength: 24, gateway: "10.20.0.1", dnsServers: ["10.20.0.1"] },
      kubernetes: w.kubernetes,
      labels: MONGODB_ROLE_LABEL,
      sshMinutes: 15,
    });
  });
  const step = (name: string) => r.resources.find((x) => x.name === name)!;
  const text = (name: string, field: "create" | "delete") => String(unwrapSecrets(step(name).inputs[field]));
  const target = (name: string) => (unwrapSecrets(step(name).inputs.connection) as { host: string }).host;

  it("prepares the VM, then joins with a join command printed by a secret step on node 1 after the control plane is ready", () => {
    expect(r.deps.get("otlnx1-prepare")).toEqual(["otlnx1-vm-ready"]);
    expect(r.deps.get("otlnx1-join-command")).toEqual(["cp-otcp3-join", "otlnx1-prepare"]);
    expect(target("otlnx1-join-command")).toBe("10.20.0.11");
    expect(step("otlnx1-join-command").inputs.logging).toBe("none");
    expect(r.deps.get("otlnx1-join")).toEqual(["otlnx1-prepare", "cp-otcp3-join"]);
    expect(target("otlnx1-join")).toBe("10.20.0.31");
    expect(isSecretValue(step("otlnx1-join").inputs.stdin)).toBe(true);
    expect(text("otlnx1-join", "create")).toContain("kubeadm join --config");
  });

  it("labels the node for MongoDB from the control plane", () => {
    expect(target("otlnx1-registered")).toBe("10.20.0.11");
    expect(text("otlnx1-registered", "create")).toContain("label node otlnx1 --overwrite opentwin.io/role=mongodb");
  });

  it("on removal drains first, resets the node next, deletes the Node object last (reverse of creation)", () => {
    // Pulumi deletes a resource before the resources it depends on.
    expect(r.deps.get("otlnx1-registered")).toEqual(["otlnx1-join"]);
    expect(r.deps.get("otlnx1-reset")).toEqual(["otlnx1-registered"]);
    expect(r.deps.get("otlnx1-drain")).toEqual(["otlnx1-reset"]);
    expect(text("otlnx1-drain", "delete")).toContain("drain otlnx1 --ignore-daemonsets");
    expect(target("otlnx1-drain")).toBe("10.20.0.11");
    expect(text("otlnx1-reset", "delete")).toContain("kubeadm reset -f");
    expect(target("otlnx1-reset")).toBe("10.20.0.31");
    expect(text("otlnx1-registered", "delete")).toContain("delete node otlnx1");
  });

  it("puts no secret on any command line", () => {
    for (const c of commands(r)) {
      for (const field of ["create", "update", "delete"] as const) {
        const value = c.inputs[field];
        if (value === undefined) continue;
        expect(isSecretValue(value), `${c.name}.${field}`).toBe(false);
        expect(String(value)).not.toContain("MOCK-VM-KEY");
        expect(String(value)).not.toContain("[secret]");
      }
    }
  });
});
