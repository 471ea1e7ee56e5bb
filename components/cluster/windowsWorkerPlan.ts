/**
 * Everything a Windows worker runs, rendered from plain values: the component wires these to
 * resources; the golden files and the offline render show them.
 */
import { kubernetesMinorOf, MINIMUM_SIZES, WINDOWS_BUILDS } from "../lib/catalog";
import { kubeadmApiVersion } from "../scripts/kubeadm";
import { renderRebootWaitBody } from "../hyperv/scripts";
import { powershellCommand, type PowerShellCommand } from "../scripts/powershell";
import { computerNameProblems, renderUnattend } from "../scripts/unattend";
import { renderContainerdBody } from "../scripts/windows/containerd";
import { checksumProblems } from "../scripts/windows/download";
import { renderFirstBootScript } from "../scripts/windows/firstBoot";
import { renderJoinBody, renderResetBody } from "../scripts/windows/join";
import { renderKubeletBody } from "../scripts/windows/kubelet";
import { renderPrepareBody, scheduledRestartOf } from "../scripts/windows/prepare";
import { deleteNodeScript, drainScript, joinCommandScript, waitRegisteredScript } from "./windowsControlPlane";
import { WINDOWS_ARTIFACTS, type WindowsWorkerArgs } from "./windowsWorkerTypes";

/** Memory reserved for Windows itself: a quarter of the VM, at least 1 GiB, at most 2 GiB. */
export function systemReservedMemoryMi(memoryGiB: number): number {
  return Math.min(2048, Math.max(1024, Math.round((memoryGiB * 1024) / 4)));
}

/** Every problem with the arguments, one message each (empty when fine). */
export function windowsWorkerProblems(args: WindowsWorkerArgs): string[] {
  const problems = computerNameProblems(args.node.name);
  if (!(args.windowsBuild in WINDOWS_BUILDS)) problems.push(`windowsBuild '${args.windowsBuild}' is not in the catalog`);
  if (kubernetesMinorOf(args.kubernetes.version) === undefined) {
    problems.push(`kubernetes.version '${args.kubernetes.version}' is not of a minor in the catalog`);
  }
  const min = MINIMUM_SIZES.windowsWorker;
  for (const key of ["vcpu", "memoryGiB", "diskGiB"] as const) {
    if (!Number.isInteger(args.size[key]) || args.size[key] < min[key]) problems.push(`size.${key} must be an integer >= ${min[key]}, got ${args.size[key]}`);
  }
  for (const name of Object.values(WINDOWS_ARTIFACTS)) {
    const artifact = args.kubernetes.artifacts.find((a) => a.name === name);
    if (artifact === undefined) problems.push(`kubernetes.artifacts has no '${name}'`);
    else problems.push(...checksumProblems(artifact.checksum).map((p) => `kubernetes.artifacts '${name}': ${p}`));
  }
  return problems;
}

function artifact(args: WindowsWorkerArgs, name: string): { url: string; checksum: string } {
  const found = args.kubernetes.artifacts.find((a) => a.name === name);
  if (found === undefined) throw new Error(`kubernetes.artifacts has no '${name}'`);
  return found;
}

export interface WindowsWorkerPlan {
  /** The first-boot script written next to unattend.xml (no secrets). */
  readonly firstBootScript: string;
  /** unattend.xml for a given password (the component calls it inside a secret apply). */
  readonly unattend: (adminPassword: string) => string;
  readonly prepare: PowerShellCommand;
  /**
   * The two steps that depend on the prepare step's output (see components/scripts/windows/prepare.ts):
   * the host's wait for the restart, and containerd, which first checks that the guest restarted.
   */
  readonly afterPrepare: (prepareOutput: string) => { readonly rebootWait: PowerShellCommand; readonly containerd: PowerShellCommand };
  readonly kubelet: PowerShellCommand;
  readonly join: PowerShellCommand;
  readonly reset: PowerShellCommand;
  /** bash on the control plane. */
  readonly joinCommand: string;
  readonly deleteNode: string;
  readonly waitRegistered: string;
  readonly drain: string;
}

export function planWindowsWorker(args: WindowsWorkerArgs): WindowsWorkerPlan {
  const problems = windowsWorkerProblems(args);
  if (problems.length > 0) throw new Error(`WindowsWorker ${args.node.name}: ${problems.join("; ")}`);
  const node = args.node.name;
  const containerd = artifact(args, WINDOWS_ARTIFACTS.containerd);
  const tarball = artifact(args, WINDOWS_ARTIFACTS.node);
  return {
    firstBootScript: renderFirstBootScript({
      address: args.node.address,
      prefixLength: args.network.prefixLength,
      gateway: args.network.gateway,
      dnsServers: args.network.dnsServers,
      sshPublicKey: args.vmAccess.sshPublicKey,
    }),
    unattend: (adminPassword) => renderUnattend({ computerName: node, adminPassword }),
    prepare: powershellCommand(`prepare ${node}`, renderPrepareBody()),
    afterPrepare: (prepareOutput) => {
      const restart = scheduledRestartOf(prepareOutput);
      const rebootWait = powershellCommand(
        `restart of ${node}`,
        renderRebootWaitBody({
          vmName: node,
          address: args.node.address,
          rebootScheduled: restart !== undefined,
          minutes: args.timeouts.windowsPrepareMinutes,
        }),
      );
      const containerdCommand = powershellCommand(
        `containerd on ${node}`,
        renderContainerdBody({ version: args.kubernetes.containerdVersion, ...containerd, pauseImage: args.kubernetes.pauseImage, restart }),
      );
      return { rebootWait, containerd: containerdCommand };
    },
    kubelet: powershellCommand(
      `kubelet on ${node}`,
      renderKubeletBody({
        version: args.kubernetes.version,
        ...tarball,
        nodeName: node,
        nodeIp: args.node.address,
        systemReservedMemoryMi: systemReservedMemoryMi(args.size.memoryGiB),
      }),
    ),
    join: powershellCommand(
      `join ${node}`,
      renderJoinBody({
        kubeadmApi: kubeadmApiVersion(args.kubernetes.version),
        apiServerEndpoint: `${args.controlPlane.endpoint.host}:${args.controlPlane.endpoint.port}`,
        nodeName: node,
      }),
      { readsStdin: true },
    ),
    reset: powershellCommand(`reset ${node}`, renderResetBody()),
    joinCommand: joinCommandScript(node),
    deleteNode: deleteNodeScript(node),
    waitRegistered: waitRegisteredScript(node, args.timeouts.windowsPrepareMinutes),
    drain: drainScript(node, args.timeouts.drainMinutes ?? 10),
  };
}
