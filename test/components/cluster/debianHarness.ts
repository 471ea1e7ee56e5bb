/** Runs a program under the mock runtime and also records each resource's dependsOn, by name. */
import * as pulumi from "@pulumi/pulumi";
import type { ControlPlaneArgs } from "../../../components/cluster/controlPlane";
import type { HyperVHost } from "../../../components/hyperv/types";
import { runUnderMocks, type RecordedResource } from "../../../tools/render/mockRuntime";
import { stackScriptArgs } from "../../unit/debian/stackValues";

export const PRIVATE_KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nMOCK-VM-KEY\n-----END OPENSSH PRIVATE KEY-----\n";

export interface Recorded {
  readonly resources: RecordedResource[];
  /** Resource name -> names of the resources in its dependsOn. */
  readonly deps: Map<string, string[]>;
}

export async function runRecorded(stack: string, program: () => Promise<void>): Promise<Recorded> {
  const deps = new Map<string, string[]>();
  const names = new Map<pulumi.Resource, string>();
  const resources = await runUnderMocks({ project: "opentwin", stack }, async () => {
    pulumi.runtime.registerStackTransformation((args) => {
      names.set(args.resource, args.name);
      const given = args.opts.dependsOn;
      const list = (given === undefined ? [] : Array.isArray(given) ? given : [given]) as pulumi.Resource[];
      deps.set(args.name, list.map((r) => names.get(r) ?? "?"));
      return undefined;
    });
    await program();
  });
  return { resources, deps };
}

export function host(name: string): HyperVHost {
  return {
    name,
    host: `${name}.example`,
    port: 22,
    user: "Administrator",
    privateKey: pulumi.secret("HOST-KEY"),
    vmPath: "D:\\VMs",
    switchName: "External",
    baseDisks: { debian: "D:\\debian.vhdx", windows: "D:\\windows.vhdx" },
  };
}

/** ControlPlane args of a stack file, with mock hosts and a secret private key. */
export function controlPlaneArgsOf(stack: "dev" | "production"): ControlPlaneArgs {
  const s = stackScriptArgs(stack).controlPlane;
  return {
    nodes: s.nodes.map((n, i) => ({ ...n, host: host(`hv${i + 1}`) })),
    size: { vcpu: 2, memoryGiB: 4, diskGiB: 40 },
    vmAccess: { user: "opentwin", sshPublicKey: "ssh-ed25519 AAAA test", privateKey: pulumi.secret(PRIVATE_KEY) },
    endpoint: s.endpoint,
    virtualIp: s.virtualIp,
    kubeVipImage: s.kubeVipImage,
    network: { ...s.network, prefixLength: 24, gateway: "10.20.0.1", dnsServers: ["10.20.0.1"] },
    kubernetes: s.kubernetes,
    sshMinutes: 15,
  };
}

export const commands = (r: Recorded) => r.resources.filter((x) => x.type === "command:remote:Command");
