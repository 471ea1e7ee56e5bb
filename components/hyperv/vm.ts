/**
 * A Hyper-V VM made with PowerShell on the host over SSH: differencing disk from the base image,
 * Generation 2, static memory, Secure Boot, first-boot data (cloud-init seed disk or unattend.xml),
 * started, then awaited. Removing the resource stops and removes the VM and deletes its folder.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as command from "@pulumi/command";
import { remoteStep, sshConnection } from "../lib/remote";
import { powershellCommand, stdinDocument } from "../scripts/powershell";
import { FIRST_BOOT_KEYS, renderCreateVmBody, renderDeleteVmBody, renderWaitReadyBody } from "./scripts";
import type { HyperVVmArgs } from "./types";

export type { HyperVVmArgs } from "./types";

/** Default minutes to wait for the guest after its first start. */
export const DEFAULT_READY_MINUTES = 15;

/** The stdin of the create step: first-boot content as secrets (see powershell.ts for the convention). */
function firstBootSecrets(args: HyperVVmArgs): pulumi.Output<Record<string, string>> {
  const boot = args.firstBoot;
  if (boot.kind === "cloud-init") {
    return pulumi.all([boot.userData, boot.metaData, boot.networkConfig]).apply(([userData, metaData, networkConfig]): Record<string, string> => ({
      [FIRST_BOOT_KEYS.userData]: userData,
      [FIRST_BOOT_KEYS.metaData]: metaData,
      [FIRST_BOOT_KEYS.networkConfig]: networkConfig,
    }));
  }
  return pulumi.all([boot.unattendXml, boot.setupScript ?? ""]).apply(([unattendXml, setupScript]): Record<string, string> => ({
    [FIRST_BOOT_KEYS.unattendXml]: unattendXml,
    ...(boot.setupScript === undefined ? {} : { [FIRST_BOOT_KEYS.setupScript]: setupScript }),
  }));
}

function validate(args: HyperVVmArgs): void {
  const problems: string[] = [];
  if (args.os === "debian" && args.firstBoot.kind !== "cloud-init") problems.push("a Debian VM needs firstBoot.kind 'cloud-init'");
  if (args.os === "windows" && args.firstBoot.kind !== "unattend") problems.push("a Windows VM needs firstBoot.kind 'unattend'");
  for (const [key, value] of Object.entries({ vcpu: args.vcpu, memoryGiB: args.memoryGiB, diskGiB: args.diskGiB })) {
    if (!Number.isInteger(value) || value < 1) problems.push(`${key} must be a positive integer, got ${value}`);
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9-]*$/.test(args.vmName)) problems.push(`vmName '${args.vmName}' must be letters, digits and hyphens`);
  if (problems.length > 0) throw new Error(`HyperVVm ${args.vmName}: ${problems.join("; ")}`);
}

export class HyperVVm extends pulumi.ComponentResource {
  /** The VM's name in Hyper-V. */
  public readonly vmName: pulumi.Output<string>;
  /** The last step (guest answers); depend on it for work inside the guest. */
  public readonly ready: command.remote.Command;
  /** The step that creates the VM (and removes it on delete). */
  public readonly machine: command.remote.Command;

  constructor(name: string, args: HyperVVmArgs, opts?: pulumi.ComponentResourceOptions) {
    validate(args);
    super("opentwin:hyperv:HyperVVm", name, {}, opts);
    const connection = sshConnection(args.host, { minutes: args.sshMinutes });
    const scriptArgs = {
      vmName: args.vmName,
      vmPath: args.host.vmPath,
      switchName: args.host.switchName,
      baseDisk: args.os === "debian" ? args.host.baseDisks.debian : args.host.baseDisks.windows,
      os: args.os,
      vcpu: args.vcpu,
      memoryGiB: args.memoryGiB,
      diskGiB: args.diskGiB,
      withSetupScript: args.firstBoot.kind === "unattend" && args.firstBoot.setupScript !== undefined,
    };
    const create = powershellCommand(`create VM ${args.vmName}`, renderCreateVmBody(scriptArgs), { readsStdin: true });
    const remove = powershellCommand(`remove VM ${args.vmName}`, renderDeleteVmBody(scriptArgs));
    const stdin = firstBootSecrets(args).apply((secrets) =>
      stdinDocument(create.scriptOnStdin ? { script: create.script, secrets } : { secrets }),
    );

    this.machine = remoteStep(
      `${name}-machine`,
      { connection, create: create.commandLine, delete: remove.commandLine, stdin },
      { parent: this },
    );
    const wait = powershellCommand(
      `wait for VM ${args.vmName}`,
      renderWaitReadyBody({ vmName: args.vmName, address: args.address, minutes: args.readyMinutes ?? DEFAULT_READY_MINUTES }),
    );
    this.ready = remoteStep(`${name}-ready`, { connection, create: wait.commandLine }, { parent: this, dependsOn: [this.machine] });
    this.vmName = pulumi.output(args.vmName);
    this.registerOutputs({ vmName: this.vmName, ready: this.ready });
  }
}
