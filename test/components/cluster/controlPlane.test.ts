/** ControlPlane under Pulumi mocks: step order, init only on node 1, joins after init, kube-vip only with a VIP, secrets. */
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { isSecretValue, unwrapSecrets } from "../../../tools/render/mockRuntime";
import { commands, controlPlaneArgsOf, PRIVATE_KEY, runRecorded, type Recorded } from "./debianHarness";

let kubeconfigSecret: boolean | undefined;
let joinCommandSecret: boolean | undefined;

async function build(stack: "dev" | "production"): Promise<Recorded> {
  return runRecorded(stack, async () => {
    const { ControlPlane } = await import("../../../components/cluster/controlPlane");
    const cp = new ControlPlane("cp", controlPlaneArgsOf(stack));
    kubeconfigSecret = await pulumi.isSecret(cp.kubeconfig);
    joinCommandSecret = await pulumi.isSecret(cp.joinCommand("probe-join-command"));
  });
}

const create = (r: Recorded, name: string) => String(unwrapSecrets(r.resources.find((x) => x.name === name)!.inputs.create));

describe("ControlPlane with one node (dev)", async () => {
  const r = await build("dev");
  const names = commands(r).map((c) => c.name);

  it("prepares the node after its VM answers, then runs kubeadm init on it", () => {
    expect(names).toEqual(expect.arrayContaining(["cp-otcp1-prepare", "cp-otcp1-init", "cp-kubeconfig"]));
    expect(r.deps.get("cp-otcp1-prepare")).toEqual(["cp-otcp1-vm-ready"]);
    expect(r.deps.get("cp-otcp1-init")).toEqual(["cp-otcp1-prepare"]);
    expect(r.deps.get("cp-kubeconfig")).toEqual(["cp-otcp1-init"]);
    expect(create(r, "cp-otcp1-init")).toContain("kubeadm init --config");
  });

  it("has no joins, no join material and no kube-vip", () => {
    expect(names.filter((n) => n.includes("join") && n !== "probe-join-command")).toEqual([]);
    for (const c of commands(r)) expect(String(unwrapSecrets(c.inputs.create))).not.toContain("kube-vip");
  });

  it("keeps the kubeconfig and the worker join command secret", () => {
    expect(kubeconfigSecret).toBe(true);
    expect(joinCommandSecret).toBe(true);
    const probe = r.resources.find((x) => x.name === "probe-join-command")!;
    expect(probe.inputs.logging).toBe("none");
    expect(r.deps.get("probe-join-command")).toEqual(["cp-otcp1-init"]);
    expect(create(r, "probe-join-command")).toContain("kubeadm token create --print-join-command --ttl 1h");
  });

  it("builds the VM from cloud-init with the node's fixed address", () => {
    const vm = commands(r).find((c) => c.name === "cp-otcp1-vm-machine")!;
    const firstBoot = JSON.stringify(unwrapSecrets(vm.inputs.stdin));
    expect(firstBoot).toContain("192.168.50.11/24");
    expect(firstBoot).toContain("ssh-ed25519 AAAA test");
  });
});

describe("ControlPlane with three nodes (production)", async () => {
  const r = await build("production");
  const names = commands(r).map((c) => c.name);

  it("runs init only on node 1 and joins only on nodes 2 and 3", () => {
    expect(names.filter((n) => n.endsWith("-init"))).toEqual(["cp-otcp1-init"]);
    expect(names.filter((n) => /-otcp\d-join$/.test(n))).toEqual(["cp-otcp2-join", "cp-otcp3-join"]);
    expect(create(r, "cp-otcp1-init")).toContain("--upload-certs");
    for (const n of ["cp-otcp2-join", "cp-otcp3-join"]) expect(create(r, n)).not.toContain("kubeadm init --config");
  });

  it("joins after node 1's init (through the join material) and one node at a time", () => {
    expect(r.deps.get("cp-join-material")).toEqual(["cp-otcp1-init"]);
    expect(r.deps.get("cp-otcp2-join")).toEqual(["cp-otcp2-prepare", "cp-join-material", "cp-otcp1-init"]);
    expect(r.deps.get("cp-otcp3-join")).toEqual(["cp-otcp3-prepare", "cp-join-material", "cp-otcp2-join"]);
    expect(r.deps.get("probe-join-command")).toEqual(["cp-otcp3-join"]);
  });

  it("places kube-vip on every control-plane node (super-admin.conf only on node 1 during init)", () => {
    expect(create(r, "cp-otcp1-init")).toContain("path: /etc/kubernetes/super-admin.conf");
    for (const n of ["cp-otcp1-init", "cp-otcp2-join", "cp-otcp3-join"]) expect(create(r, n)).toContain("name: kube-vip");
    for (const n of ["cp-otcp2-join", "cp-otcp3-join"]) expect(create(r, n)).not.toContain("super-admin");
  });

  it("hands the join material to the joins on stdin, read by a secret step on node 1", () => {
    const material = r.resources.find((x) => x.name === "cp-join-material")!;
    expect(material.inputs.logging).toBe("none");
    expect(unwrapSecrets(material.inputs.connection)).toMatchObject({ host: "10.20.0.11" });
    for (const n of ["cp-otcp2-join", "cp-otcp3-join"]) {
      const join = r.resources.find((x) => x.name === n)!;
      expect(isSecretValue(join.inputs.stdin)).toBe(true);
      expect(join.inputs.logging).toBe("none");
    }
  });

  it("puts no secret on any command line", () => {
    for (const c of commands(r)) {
      for (const field of ["create", "update", "delete"] as const) {
        const value = c.inputs[field];
        if (value === undefined) continue;
        expect(isSecretValue(value), `${c.name}.${field} is secret-wrapped`).toBe(false);
        expect(String(value)).not.toContain("MOCK-VM-KEY");
        expect(String(value)).not.toContain("HOST-KEY");
        expect(String(value)).not.toContain("[secret]");
        expect(String(value)).not.toMatch(/--token [a-z0-9]{6}\.[a-z0-9]{16}/);
      }
    }
    expect(PRIVATE_KEY).toContain("MOCK-VM-KEY");
  });
});
