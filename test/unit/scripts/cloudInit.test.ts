import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { instanceIdOf, renderMetaData, renderNetworkConfig, renderUserData } from "../../../components/scripts/cloudInit";
import { expectGolden } from "../../support/golden";
import { devControlPlaneNode } from "./devWorker";

const cp = devControlPlaneNode();
const userData = renderUserData({ hostname: cp.name, user: cp.user, sshPublicKey: cp.sshPublicKey });
const metaData = renderMetaData(cp.name);
const networkConfig = renderNetworkConfig({ address: cp.address, prefixLength: cp.prefixLength, gateway: cp.gateway, dnsServers: cp.dnsServers });

describe("cloud-init NoCloud files", () => {
  it("user-data is #cloud-config with one key-only sudo user and no passwords", () => {
    expect(userData.startsWith("#cloud-config\n")).toBe(true);
    const doc = parse(userData);
    expect(doc).toMatchObject({ hostname: "otcp1", manage_etc_hosts: true, ssh_pwauth: false, package_update: false });
    expect(doc.users).toEqual([expect.objectContaining({ name: "opentwin", sudo: "ALL=(ALL) NOPASSWD:ALL", lock_passwd: true, ssh_authorized_keys: [cp.sshPublicKey] })]);
    expect(userData).not.toMatch(/^\s*(- )?(passwd|password|plain_text_passwd|hashed_passwd):|chpasswd/m);
  });

  it("keeps awkward values intact (YAML, not concatenation)", () => {
    const doc = parse(renderUserData({ hostname: "h", fqdn: "h.example: #x", user: "u", sshPublicKey: "ssh-ed25519 AAAA 'c: #d'" }));
    expect(doc.fqdn).toBe("h.example: #x");
    expect(doc.users[0].ssh_authorized_keys).toEqual(["ssh-ed25519 AAAA 'c: #d'"]);
  });

  it("meta-data has a deterministic instance id per VM name", () => {
    expect(parse(metaData)).toEqual({ "instance-id": instanceIdOf("otcp1"), "local-hostname": "otcp1" });
    expect(instanceIdOf("otcp1")).toBe(instanceIdOf("otcp1"));
    expect(instanceIdOf("otcp1")).not.toBe(instanceIdOf("otcp2"));
  });

  it("network-config v2 sets the fixed address, default route and DNS on the hv_netvsc NIC", () => {
    const doc = parse(networkConfig);
    expect(doc.network.version).toBe(2);
    const nic = doc.network.ethernets.primary;
    expect(nic).toMatchObject({ match: { driver: "hv_netvsc" }, dhcp4: false, addresses: ["192.168.50.11/24"], routes: [{ to: "default", via: "192.168.50.1" }], nameservers: { addresses: ["192.168.50.1"] } });
  });

  it("matches the golden files", () => {
    expectGolden("hyperv/otcp1/user-data", userData);
    expectGolden("hyperv/otcp1/meta-data", metaData);
    expectGolden("hyperv/otcp1/network-config", networkConfig);
  });
});
