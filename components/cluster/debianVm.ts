/** What every Debian node component shares: VM access, size, cloud-init first boot, the guest's SSH target. */
import type * as pulumi from "@pulumi/pulumi";
import type { FirstBoot } from "../hyperv/types";
import type { SshEndpoint } from "../lib/remote";
import { renderMetaData, renderNetworkConfig, renderUserData } from "../scripts/cloudInit";

export interface DebianVmAccess {
  /** Account cloud-init creates (sudo without password, key login only). */
  readonly user: string;
  /** Public key authorised for that account. */
  readonly sshPublicKey: string;
  /** Private key the program logs in with (secret). */
  readonly privateKey: pulumi.Input<string>;
}

export interface DebianVmSize {
  readonly vcpu: number;
  readonly memoryGiB: number;
  readonly diskGiB: number;
}

export interface NodeNetwork {
  readonly prefixLength: number;
  readonly gateway: string;
  readonly dnsServers: readonly string[];
}

/** Port of sshd on the Debian VMs. */
export const GUEST_SSH_PORT = 22;

/** The SSH target of a Debian node at its fixed address. */
export function guestEndpoint(address: string, access: DebianVmAccess): SshEndpoint {
  return { host: address, port: GUEST_SSH_PORT, user: access.user, privateKey: access.privateKey };
}

/** cloud-init first boot of a Debian node: host name, the access account, its fixed address. */
export function debianFirstBoot(
  node: { readonly name: string; readonly address: string },
  access: Pick<DebianVmAccess, "user" | "sshPublicKey">,
  network: NodeNetwork,
): FirstBoot {
  return {
    kind: "cloud-init",
    userData: renderUserData({ hostname: node.name, user: access.user, sshPublicKey: access.sshPublicKey }),
    metaData: renderMetaData(node.name),
    networkConfig: renderNetworkConfig({
      address: node.address,
      prefixLength: network.prefixLength,
      gateway: network.gateway,
      dnsServers: network.dnsServers,
    }),
  };
}

/** Merges a caller's dependsOn with extra resources. */
export function withDependencies(
  opts: pulumi.CustomResourceOptions | undefined,
  extra: pulumi.Resource[],
): pulumi.Input<pulumi.Input<pulumi.Resource>[]> {
  const given = opts?.dependsOn;
  if (given === undefined) return extra;
  return Array.isArray(given) ? [...extra, ...given] : [...extra, given as pulumi.Input<pulumi.Resource>];
}
