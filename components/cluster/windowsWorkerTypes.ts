/** Arguments of WindowsWorker (components/cluster/windowsWorker.ts). */
import type * as pulumi from "@pulumi/pulumi";
import type { HyperVHost } from "../hyperv/types";
import type { WindowsBuildName } from "../lib/catalog";
import type { SshEndpoint } from "../lib/remote";
import type { NodeArtifact } from "../lib/artifacts";

export interface WindowsWorkerArgs {
  /** Hyper-V host that runs the VM. */
  readonly host: HyperVHost;
  /** Node name (VM name, computer name, Kubernetes Node name; at most 15 characters) and fixed IPv4 address. */
  readonly node: { readonly name: string; readonly address: string };
  /** VM size (static memory). */
  readonly size: { readonly vcpu: number; readonly memoryGiB: number; readonly diskGiB: number };
  /** Windows Server build of the host's Windows base disk (catalog name). */
  readonly windowsBuild: WindowsBuildName;
  /** Password of the built-in Administrator, set by the unattend file. Secret. */
  readonly adminPassword: pulumi.Input<string>;
  /**
   * How the program logs in to the VM: OpenSSH with a key, as `user` (default "Administrator", the
   * account the unattend file enables). The public key is written to administrators_authorized_keys,
   * which admits members of Administrators only; another user must be one and must exist in the image.
   */
  readonly vmAccess: {
    readonly user?: string;
    readonly sshPublicKey: string;
    /** Secret. */
    readonly privateKey: pulumi.Input<string>;
  };
  readonly network: {
    readonly prefixLength: number;
    readonly gateway: string;
    readonly dnsServers: readonly string[];
    readonly podCidr: string;
    readonly serviceCidr: string;
    readonly clusterDomain: string;
  };
  readonly kubernetes: {
    /** e.g. "1.34.4"; its minor must be in the catalog. */
    readonly version: string;
    /** registry.k8s.io/pause:<catalog pause for the minor>; containerd's sandbox image. */
    readonly pauseImage: string;
    readonly containerdVersion: string;
    /** Windows artifacts (artifactsFor("windows", ...)) with their pinned checksums. */
    readonly artifacts: readonly NodeArtifact[];
  };
  readonly controlPlane: {
    /** API server endpoint the worker joins. */
    readonly endpoint: { readonly host: string; readonly port: number };
    /** SSH to the first control-plane node (user with sudo), for the join token, drain and node deletion. */
    readonly connection: SshEndpoint;
    /** Resources the control plane is ready after (its last step); none by default. */
    readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
  };
  readonly timeouts: {
    /** Minutes SSH retries the host and the VM before its first restart. */
    readonly sshMinutes: number;
    /** Minutes for the VM's first boot, the restart for the Containers feature and the node's registration. */
    readonly windowsPrepareMinutes: number;
    /** Minutes `kubectl drain` may take when the worker is removed; default 10. */
    readonly drainMinutes?: number;
  };
}

/** Artifact names the worker needs (components/lib/artifacts.ts). */
export const WINDOWS_ARTIFACTS = { containerd: "containerd-windows-amd64", node: "kubernetes-node-windows-amd64" } as const;
