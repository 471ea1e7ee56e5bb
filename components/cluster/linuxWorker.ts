/**
 * A Debian worker (e.g. for MongoDB): VM, prepare-node, kubeadm join with a fresh join command from
 * the control plane, labels. Removal follows the documented order: drain (control plane), kubeadm
 * reset (node), delete the Node object (control plane), then the VM. Pulumi deletes dependents
 * first, so the steps are chained in the reverse order and do their removal work in `delete`.
 */
import * as pulumi from "@pulumi/pulumi";
import { HyperVVm } from "../hyperv/vm";
import type { HyperVHost } from "../hyperv/types";
import { remoteStep, sshConnection, type SshEndpoint } from "../lib/remote";
import { sudoBash } from "../scripts/debian/bash";
import type { NodeArtifact } from "../scripts/debian/prepareNode";
import { linuxWorkerScripts } from "./debianScripts";

export { MONGODB_ROLE_LABEL } from "./debianScripts";
import { debianFirstBoot, guestEndpoint, type DebianVmAccess, type DebianVmSize, type NodeNetwork } from "./debianVm";

/** What a worker needs from the control plane (ControlPlane satisfies it). */
export interface ControlPlaneAccess {
  readonly endpoint: { readonly host: string; readonly port: number };
  readonly firstNode: SshEndpoint;
  readonly ready: pulumi.Resource;
  joinCommand(name: string, opts?: pulumi.CustomResourceOptions): pulumi.Output<string>;
}

export interface LinuxWorkerArgs {
  /** The node: name (VM and Kubernetes Node), fixed address, Hyper-V host. No default. */
  readonly node: { readonly name: string; readonly address: string; readonly host: HyperVHost };
  /** VM size. No default. */
  readonly size: DebianVmSize;
  /** How the program reaches the VM. No default. */
  readonly vmAccess: DebianVmAccess;
  /** The control plane to join (endpoint, node 1, readiness, join commands). No default. */
  readonly controlPlane: ControlPlaneAccess;
  /** Node network (address prefix, gateway, DNS). No default. */
  readonly network: NodeNetwork;
  /** Versions and verified downloads, as for the control plane. No default. */
  readonly kubernetes: {
    readonly version: string;
    readonly pauseImage: string;
    readonly containerdVersion: string;
    readonly artifacts: readonly NodeArtifact[];
  };
  /** Node labels, e.g. MONGODB_ROLE_LABEL. Default: none. */
  readonly labels?: Readonly<Record<string, string>>;
  /** Minutes SSH keeps retrying a host or a booting VM. No default. */
  readonly sshMinutes: number;
}

export class LinuxWorker extends pulumi.ComponentResource {
  /** The Kubernetes Node name. */
  public readonly nodeName: string;
  public readonly vm: HyperVVm;
  /** The last step: the node is joined and labelled. */
  public readonly ready: pulumi.Resource;

  constructor(name: string, args: LinuxWorkerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("opentwin:cluster:LinuxWorker", name, {}, opts);
    const labels = args.labels ?? {};
    const scripts = linuxWorkerScripts({ node: args.node, endpoint: args.controlPlane.endpoint, kubernetes: args.kubernetes, labels });
    const patience = { minutes: args.sshMinutes };
    const worker = sshConnection(guestEndpoint(args.node.address, args.vmAccess), patience);
    const controlPlane = sshConnection(args.controlPlane.firstNode, patience);

    this.nodeName = args.node.name;
    this.vm = new HyperVVm(
      `${name}-vm`,
      {
        host: args.node.host,
        vmName: args.node.name,
        os: "debian",
        vcpu: args.size.vcpu,
        memoryGiB: args.size.memoryGiB,
        diskGiB: args.size.diskGiB,
        firstBoot: debianFirstBoot(args.node, args.vmAccess, args.network),
        sshMinutes: args.sshMinutes,
        address: args.node.address,
      },
      { parent: this },
    );
    const prepare = remoteStep(
      `${name}-prepare`,
      { connection: worker, create: sudoBash(scripts.prepareNode, "prepare-node") },
      { parent: this, dependsOn: [this.vm.ready] },
    );
    const joinCommand = args.controlPlane.joinCommand(`${name}-join-command`, { parent: this, dependsOn: [prepare] });
    const join = remoteStep(
      `${name}-join`,
      { connection: worker, create: sudoBash(scripts.join, "kubeadm-join-worker"), stdin: joinCommand },
      { parent: this, dependsOn: [prepare, args.controlPlane.ready] },
    );
    // Created after the join; deleted last of the three: removes the Node once the node is reset.
    const registered = remoteStep(
      `${name}-registered`,
      { connection: controlPlane, create: sudoBash(scripts.registered, "label-node"), delete: sudoBash(scripts.deleteNode, "delete-node") },
      { parent: this, dependsOn: [join] },
    );
    // Deleted after the drain and before the Node object goes: kubeadm reset on the node.
    const joined = remoteStep(
      `${name}-reset`,
      { connection: worker, create: sudoBash(scripts.joined, "check-joined"), delete: sudoBash(scripts.reset, "reset-node") },
      { parent: this, dependsOn: [registered] },
    );
    // Deleted first: drains the node while it still runs.
    this.ready = remoteStep(
      `${name}-drain`,
      { connection: controlPlane, create: sudoBash(scripts.controlPlaneCheck, "check-control-plane"), delete: sudoBash(scripts.drain, "drain-node") },
      { parent: this, dependsOn: [joined] },
    );
    this.registerOutputs({ nodeName: this.nodeName, vmName: this.vm.vmName });
  }
}
