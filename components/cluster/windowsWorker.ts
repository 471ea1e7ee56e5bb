/**
 * A Windows Server worker: Hyper-V VM with an unattend file, prepared (Containers feature and its
 * restart, containerd, kubelet/kubeadm) and joined with a fresh token. Every step is guarded, so
 * `pulumi up` after an interruption (for example the restart) continues where it stopped.
 *
 * Order (each step depends on the one before):
 *   vm (HyperVVm) -> prepare (guest) -> restart (host: waits for the guest's restart when prepare
 *   scheduled one) -> containerd (guest: first checks that the guest booted after the restart prepare
 *   scheduled; see components/scripts/windows/prepare.ts) -> kubelet (guest) -> join-command (control plane; delete:
 *   kubectl delete node) -> join (guest; delete: kubeadm reset + HNS cleanup) -> registered (control
 *   plane; delete: kubectl drain).
 * Pulumi deletes dependents first, so removing the worker drains, resets, deletes the Node, then
 * removes the VM and its disks.
 *
 * The program reaches the VM directly at node.address on TCP 22 with vmAccess (see WindowsWorkerArgs).
 */
import * as pulumi from "@pulumi/pulumi";
import type * as command from "@pulumi/command";
import { HyperVVm } from "../hyperv/vm";
import { remoteStep, sshConnection, type RemoteStepArgs } from "../lib/remote";
import { stdinDocument, type PowerShellCommand } from "../scripts/powershell";
import { JOIN_COMMAND_KEY } from "../scripts/windows/join";
import { planWindowsWorker } from "./windowsWorkerPlan";
import type { WindowsWorkerArgs } from "./windowsWorkerTypes";

export type { WindowsWorkerArgs } from "./windowsWorkerTypes";

/** The account the program logs in as on the Windows VM when vmAccess.user is not set. */
export const DEFAULT_WINDOWS_USER = "Administrator";

/** create (and stdin, when the script or secrets travel there) for a PowerShell step. */
function powershellStep(
  cmd: PowerShellCommand,
  secrets?: pulumi.Output<Record<string, string>>,
): Pick<RemoteStepArgs, "create" | "stdin"> {
  if (secrets === undefined && !cmd.scriptOnStdin) return { create: cmd.commandLine };
  const document = (secrets ?? pulumi.output({})).apply((s) =>
    stdinDocument(cmd.scriptOnStdin ? { script: cmd.script, secrets: s } : { secrets: s }),
  );
  return { create: cmd.commandLine, stdin: document };
}

/**
 * The same for a command known only once another step ran. It always sends a stdin document (with
 * the script when it travels there); a script that does not read stdin ignores it.
 */
function deferredPowershellStep(cmd: pulumi.Output<PowerShellCommand>): Pick<RemoteStepArgs, "create" | "stdin"> {
  return {
    create: cmd.apply((c) => c.commandLine),
    stdin: cmd.apply((c) => stdinDocument(c.scriptOnStdin ? { script: c.script, secrets: {} } : { secrets: {} })),
  };
}

/** A delete command cannot rely on stdin: its script must fit on the command line. */
function commandLineOnly(cmd: PowerShellCommand): string {
  if (cmd.scriptOnStdin) throw new Error("a delete script is too long for one command line");
  return cmd.commandLine;
}

export class WindowsWorker extends pulumi.ComponentResource {
  /** The Kubernetes Node name (also the VM and computer name). */
  public readonly nodeName: pulumi.Output<string>;
  /** The last step (the Node registered); depend on it for work that needs the node. */
  public readonly ready: command.remote.Command;
  /** The worker's VM. */
  public readonly vm: HyperVVm;

  constructor(name: string, args: WindowsWorkerArgs, opts?: pulumi.ComponentResourceOptions) {
    const plan = planWindowsWorker(args);
    super("opentwin:cluster:WindowsWorker", name, {}, opts);
    const node = args.node;
    const t = args.timeouts;

    const unattendXml = pulumi.secret(pulumi.output(args.adminPassword).apply((password) => plan.unattend(password)));
    this.vm = new HyperVVm(
      `${name}-vm`,
      {
        host: args.host,
        vmName: node.name,
        os: "windows",
        vcpu: args.size.vcpu,
        memoryGiB: args.size.memoryGiB,
        diskGiB: args.size.diskGiB,
        firstBoot: { kind: "unattend", unattendXml, setupScript: plan.firstBootScript },
        sshMinutes: t.sshMinutes,
        address: node.address,
        readyMinutes: t.windowsPrepareMinutes,
      },
      { parent: this },
    );

    const vmEndpoint = { host: node.address, port: 22, user: args.vmAccess.user ?? DEFAULT_WINDOWS_USER, privateKey: args.vmAccess.privateKey };
    const guest = sshConnection(vmEndpoint, { minutes: t.sshMinutes });
    const guestAfterRestart = sshConnection(vmEndpoint, { minutes: t.windowsPrepareMinutes });
    const host = sshConnection(args.host, { minutes: t.sshMinutes });
    const controlPlane = sshConnection(args.controlPlane.connection, { minutes: t.sshMinutes });
    const child = (dependsOn: pulumi.Input<pulumi.Resource>[]): pulumi.CustomResourceOptions => ({ parent: this, dependsOn });

    const prepare = remoteStep(`${name}-prepare`, { connection: guest, ...powershellStep(plan.prepare) }, child([this.vm.ready]));
    // The restart for the Containers feature (design: components/scripts/windows/prepare.ts): the
    // host waits for the guest to go down and come back, then containerd, in the guest, first checks
    // that it runs in a boot after the restart prepare scheduled (the time is in prepare's output).
    const afterPrepare = prepare.stdout.apply((out) => plan.afterPrepare(out));
    const restart = remoteStep(
      `${name}-restart`,
      { connection: host, create: afterPrepare.apply((steps) => steps.rebootWait.commandLine) },
      child([prepare]),
    );
    const containerd = remoteStep(
      `${name}-containerd`,
      { connection: guestAfterRestart, ...deferredPowershellStep(afterPrepare.apply((steps) => steps.containerd)) },
      child([restart]),
    );
    const kubelet = remoteStep(`${name}-kubelet`, { connection: guestAfterRestart, ...powershellStep(plan.kubelet) }, child([containerd]));
    const joinCommand = remoteStep(
      `${name}-join-command`,
      { connection: controlPlane, create: plan.joinCommand, delete: plan.deleteNode, secretOutput: true },
      child([kubelet, ...(args.controlPlane.dependsOn ?? [])]),
    );
    const joinSecrets = pulumi.secret(joinCommand.stdout.apply((out): Record<string, string> => ({ [JOIN_COMMAND_KEY]: out.trim() })));
    const join = remoteStep(
      `${name}-join`,
      { connection: guestAfterRestart, ...powershellStep(plan.join, joinSecrets), delete: commandLineOnly(plan.reset) },
      child([joinCommand]),
    );
    this.ready = remoteStep(
      `${name}-registered`,
      { connection: controlPlane, create: plan.waitRegistered, delete: plan.drain },
      child([join]),
    );

    this.nodeName = pulumi.output(node.name);
    this.registerOutputs({ nodeName: this.nodeName, ready: this.ready, vm: this.vm });
  }
}
