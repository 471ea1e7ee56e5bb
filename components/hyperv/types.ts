/** The contract of a Hyper-V VM, shared by the components that need one (control plane, workers). */
import type * as pulumi from "@pulumi/pulumi";
import type { SshEndpoint } from "../lib/remote";

/** A Hyper-V server reached over OpenSSH, where PowerShell runs the Hyper-V cmdlets. */
export interface HyperVHost extends SshEndpoint {
  /** The host's name in the stack (hosts[].name). */
  readonly name: string;
  /** Folder holding VM configurations and disks. */
  readonly vmPath: string;
  readonly switchName: string;
  readonly baseDisks: { readonly debian: string; readonly windows: string };
}

/** What the VM reads on its first boot. */
export type FirstBoot =
  | {
      /** Debian: a NoCloud seed disk labelled `cidata`. */
      readonly kind: "cloud-init";
      readonly userData: pulumi.Input<string>;
      readonly metaData: pulumi.Input<string>;
      readonly networkConfig: pulumi.Input<string>;
    }
  | {
      /** Windows: `\Windows\Panther\unattend.xml` written into the new disk before first start. Secret (admin password). */
      readonly kind: "unattend";
      readonly unattendXml: pulumi.Input<string>;
      /**
       * Optional PowerShell script written to `\Windows\Setup\Scripts\opentwin-firstboot.ps1` of the new
       * disk, which the unattend file runs in its specialize pass (see components/scripts/unattend.ts).
       * None by default.
       */
      readonly setupScript?: pulumi.Input<string>;
    };

export interface HyperVVmArgs {
  readonly host: HyperVHost;
  /** VM name in Hyper-V (also the guest's host name). */
  readonly vmName: string;
  readonly os: "debian" | "windows";
  readonly vcpu: number;
  readonly memoryGiB: number;
  readonly diskGiB: number;
  readonly firstBoot: FirstBoot;
  /** Minutes SSH keeps retrying the host. */
  readonly sshMinutes: number;
  /**
   * The guest's fixed IPv4 address. When set, the VM counts as ready once TCP 22 answers there (probed
   * from the Hyper-V host); otherwise once Hyper-V reports a healthy heartbeat. Default: unset.
   */
  readonly address?: string;
  /** Minutes to wait for the guest to become ready after the first start; default 15. */
  readonly readyMinutes?: number;
}
