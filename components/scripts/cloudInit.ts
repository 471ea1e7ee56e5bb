/**
 * cloud-init NoCloud files for a Debian VM: user-data, meta-data and network-config, as the seed
 * disk labelled `cidata` carries them. Built as objects and written with the `yaml` package.
 */
import { createHash } from "node:crypto";
import { stringify } from "yaml";

export interface CloudInitArgs {
  /** Host name (the VM name). */
  readonly hostname: string;
  /** Fully qualified name; none by default. */
  readonly fqdn?: string;
  /** Account the program logs in with (sudo without password, key only). */
  readonly user: string;
  /** OpenSSH public key line authorised for `user`. */
  readonly sshPublicKey: string;
}

export interface NetworkConfigArgs {
  /** IPv4 address of the VM. */
  readonly address: string;
  readonly prefixLength: number;
  readonly gateway: string;
  readonly dnsServers: readonly string[];
  /** DNS search domains; none by default. */
  readonly searchDomains?: readonly string[];
}

const YAML_OPTIONS = { lineWidth: 0 } as const;

/** `#cloud-config` user-data: host name, one sudo user with the key, no passwords, no package run. */
export function renderUserData(args: CloudInitArgs): string {
  const document: Record<string, unknown> = {
    hostname: args.hostname,
    ...(args.fqdn === undefined ? {} : { fqdn: args.fqdn }),
    manage_etc_hosts: true,
    users: [
      {
        name: args.user,
        groups: ["sudo"],
        shell: "/bin/bash",
        sudo: "ALL=(ALL) NOPASSWD:ALL",
        lock_passwd: true,
        ssh_authorized_keys: [args.sshPublicKey.trim()],
      },
    ],
    disable_root: true,
    ssh_pwauth: false,
    package_update: false,
    package_upgrade: false,
  };
  return `#cloud-config\n${stringify(document, YAML_OPTIONS)}`;
}

/** Instance id derived from the VM name only, so a re-render never makes cloud-init run again. */
export function instanceIdOf(vmName: string): string {
  return `iid-${vmName}-${createHash("sha256").update(vmName).digest("hex").slice(0, 12)}`;
}

export function renderMetaData(vmName: string): string {
  return stringify({ "instance-id": instanceIdOf(vmName), "local-hostname": vmName }, YAML_OPTIONS);
}

/**
 * Network config version 2: a fixed address on the VM's NIC, matched by its driver (Hyper-V's
 * synthetic NIC is hv_netvsc whatever Debian names it; the VM has exactly one). Debian 12+ cloud
 * images hand version 2 to netplan, which understands driver matches.
 */
export function renderNetworkConfig(args: NetworkConfigArgs): string {
  const nameservers: Record<string, unknown> = { addresses: [...args.dnsServers] };
  if (args.searchDomains !== undefined && args.searchDomains.length > 0) nameservers.search = [...args.searchDomains];
  const document = {
    network: {
      version: 2,
      ethernets: {
        primary: {
          match: { driver: "hv_netvsc" },
          dhcp4: false,
          dhcp6: false,
          addresses: [`${args.address}/${args.prefixLength}`],
          routes: [{ to: "default", via: args.gateway }],
          nameservers,
        },
      },
    },
  };
  return stringify(document, YAML_OPTIONS);
}
