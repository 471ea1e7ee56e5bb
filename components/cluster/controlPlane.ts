/**
 * The kubeadm control plane on Debian VMs: per node a Hyper-V VM (cloud-init first boot), then
 * prepare-node, then kubeadm init on node 1 or a control-plane join on nodes 2 and 3 (one after the
 * other, after node 1's init). Join material, the worker join command and the kubeconfig are read
 * by secret steps on node 1 and never appear on a command line.
 */
import type * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { HyperVVm } from "../hyperv/vm";
import type { HyperVHost } from "../hyperv/types";
import { remoteStep, sshConnection, type SshEndpoint } from "../lib/remote";
import { sudoBash } from "../scripts/debian/bash";
import { withServer } from "../scripts/debian/kubeconfig";
import type { NodeArtifact } from "../scripts/debian/prepareNode";
import { controlPlaneScripts } from "./debianScripts";
import { debianFirstBoot, guestEndpoint, withDependencies, type DebianVmAccess, type DebianVmSize } from "./debianVm";

export type { DebianVmAccess, DebianVmSize } from "./debianVm";

export interface ControlPlaneArgs {
  /** One or three nodes, each on its Hyper-V host; the first runs kubeadm init. No default. */
  readonly nodes: readonly { readonly name: string; readonly address: string; readonly host: HyperVHost }[];
  /** VM size of every node. No default. */
  readonly size: DebianVmSize;
  /** How the program reaches the VMs. No default. */
  readonly vmAccess: DebianVmAccess;
  /** controlPlaneEndpoint: the VIP (or node 1's address) and the API server port. No default. */
  readonly endpoint: { readonly host: string; readonly port: number };
  /** kube-vip's virtual IP; required with three nodes. Default: none (no kube-vip). */
  readonly virtualIp?: string;
  /** kube-vip image, pinned. No default (the stack schema has one). */
  readonly kubeVipImage: string;
  /** Interface kube-vip announces the VIP on. Default: kube-vip uses the default route's interface. */
  readonly kubeVipInterface?: string;
  /** Node network and cluster networks. No default. */
  readonly network: {
    readonly prefixLength: number;
    readonly gateway: string;
    readonly dnsServers: readonly string[];
    readonly podCidr: string;
    readonly serviceCidr: string;
    readonly clusterDomain: string;
  };
  /** Versions and verified downloads. No default. */
  readonly kubernetes: {
    readonly version: string;
    readonly pauseImage: string;
    readonly containerdVersion: string;
    readonly artifacts: readonly NodeArtifact[];
  };
  /** Minutes SSH keeps retrying a host or a booting VM. No default (the stack schema has 15). */
  readonly sshMinutes: number;
}

export class ControlPlane extends pulumi.ComponentResource {
  /** Admin kubeconfig (secret), its server set to the endpoint. */
  public readonly kubeconfig: pulumi.Output<string>;
  /** Where the API server is reached. */
  public readonly endpoint: { readonly host: string; readonly port: number };
  /** SSH target of node 1 (where admin.conf lives), for components that run kubectl/kubeadm there. */
  public readonly firstNode: SshEndpoint;
  /** The last step of the control plane: depend on it before anything uses the API. */
  public readonly ready: pulumi.Resource;
  /** The VMs, by node name. */
  public readonly vms: Readonly<Record<string, HyperVVm>>;

  private readonly sshMinutes: number;
  private readonly workerJoinCommandScript: string;

  constructor(name: string, args: ControlPlaneArgs, opts?: pulumi.ComponentResourceOptions) {
    super("opentwin:cluster:ControlPlane", name, {}, opts);
    const scripts = controlPlaneScripts({
      nodes: args.nodes,
      endpoint: args.endpoint,
      virtualIp: args.virtualIp,
      kubeVipImage: args.kubeVipImage,
      kubeVipInterface: args.kubeVipInterface,
      network: args.network,
      kubernetes: args.kubernetes,
    });
    this.sshMinutes = args.sshMinutes;
    this.workerJoinCommandScript = scripts.workerJoinCommand;
    this.endpoint = { host: args.endpoint.host, port: args.endpoint.port };

    const guest = (address: string): SshEndpoint => guestEndpoint(address, args.vmAccess);
    const vms: Record<string, HyperVVm> = {};
    const prepared: Record<string, command.remote.Command> = {};
    for (const node of args.nodes) {
      const vm = new HyperVVm(
        `${name}-${node.name}-vm`,
        {
          host: node.host,
          vmName: node.name,
          os: "debian",
          vcpu: args.size.vcpu,
          memoryGiB: args.size.memoryGiB,
          diskGiB: args.size.diskGiB,
          firstBoot: debianFirstBoot(node, args.vmAccess, args.network),
          sshMinutes: args.sshMinutes,
          address: node.address,
        },
        { parent: this },
      );
      vms[node.name] = vm;
      prepared[node.name] = remoteStep(
        `${name}-${node.name}-prepare`,
        { connection: sshConnection(guest(node.address), { minutes: args.sshMinutes }), create: sudoBash(scripts.prepareNode, "prepare-node") },
        { parent: this, dependsOn: [vm.ready] },
      );
    }
    this.vms = vms;

    const first = args.nodes[0]!;
    this.firstNode = guest(first.address);
    const firstConnection = sshConnection(this.firstNode, { minutes: args.sshMinutes });
    const init = remoteStep(
      `${name}-${first.name}-init`,
      { connection: firstConnection, create: sudoBash(scripts.init, "kubeadm-init") },
      { parent: this, dependsOn: [prepared[first.name]!] },
    );
    const readKubeconfig = remoteStep(
      `${name}-kubeconfig`,
      { connection: firstConnection, create: sudoBash(scripts.readKubeconfig, "read-kubeconfig"), secretOutput: true },
      { parent: this, dependsOn: [init] },
    );
    this.kubeconfig = pulumi.secret(readKubeconfig.stdout.apply((text) => withServer(text, args.endpoint)));

    let last: command.remote.Command = init;
    if (scripts.joins.length > 0) {
      const material = remoteStep(
        `${name}-join-material`,
        { connection: firstConnection, create: sudoBash(scripts.joinMaterial, "control-plane-join-material"), secretOutput: true },
        { parent: this, dependsOn: [init] },
      );
      for (const join of scripts.joins) {
        const node = args.nodes.find((n) => n.name === join.node)!;
        // One join at a time: etcd grows by one member per join.
        last = remoteStep(
          `${name}-${node.name}-join`,
          {
            connection: sshConnection(guest(node.address), { minutes: args.sshMinutes }),
            create: sudoBash(join.script, "kubeadm-join-control-plane"),
            stdin: material.stdout,
          },
          { parent: this, dependsOn: [prepared[node.name]!, material, last] },
        );
      }
    }
    this.ready = last;
    this.registerOutputs({ kubeconfig: this.kubeconfig, endpoint: this.endpoint, firstNode: { host: this.firstNode.host, port: this.firstNode.port, user: this.firstNode.user } });
  }

  /**
   * A secret step on node 1 that prints a fresh worker join command (token valid 1 h), after the
   * control plane is ready. `name` is the step's resource name; `opts.parent` defaults to this component.
   */
  public joinCommand(name: string, opts?: pulumi.CustomResourceOptions): pulumi.Output<string> {
    const step = remoteStep(
      name,
      {
        connection: sshConnection(this.firstNode, { minutes: this.sshMinutes }),
        create: sudoBash(this.workerJoinCommandScript, "worker-join-command"),
        secretOutput: true,
      },
      { parent: this, ...opts, dependsOn: withDependencies(opts, [this.ready]) },
    );
    return pulumi.secret(step.stdout);
  }
}
