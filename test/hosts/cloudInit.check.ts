/** cloud-init: every user-data passes `cloud-init schema`, and sets the host name, SSH key and fixed address the stack specifies. */
import { describe, expect, inject, it } from "vitest";
import { parse } from "yaml";
import { renderedStacks } from "../../tools/checks/corpus";
import { cloudInitSchema } from "../../tools/checks/tools";
import { cloudInitSamples, loadStackFrom, rawStack } from "../../tools/checks/samples";

const stacksDir = inject("stacksDir");
const stacks = renderedStacks(inject("renderRoot"));

const cases = stacks.flatMap((stack) => cloudInitSamples(loadStackFrom(stacksDir, stack)).map((s) => [`${stack} ${s.node}`, stack, s] as const));

describe("cloud-init user-data", () => {
  it("there are Debian nodes", () => expect(cases.length).toBeGreaterThan(0));
  it.each(cases)("%s passes cloud-init schema", (_label, _stack, sample) => {
    expect(sample.userData.startsWith("#cloud-config\n")).toBe(true);
    const { status, output } = cloudInitSchema(sample.userData);
    expect(output).toMatch(/Valid cloud-config/);
    expect(status, output).toBe(0);
  });
  it.each(cases)("%s sets the host name, user and SSH key of the stack", (_label, stack, sample) => {
    const raw = rawStack(stacksDir, stack);
    const userData = parse(sample.userData) as any;
    const meta = parse(sample.metaData) as any;
    expect(userData.hostname).toBe(sample.node);
    expect(meta["local-hostname"]).toBe(sample.node);
    const user = (userData.users as any[]).find((u) => u.name === raw.vmAccess.user);
    expect(user?.ssh_authorized_keys).toEqual([raw.vmAccess.sshPublicKey.trim()]);
    expect(userData.ssh_pwauth).toBe(false);
  });
  it.each(cases)("%s network-config sets the node's fixed address from the stack", (_label, stack, sample) => {
    const raw = rawStack(stacksDir, stack);
    const nodes = [...(raw.controlPlane?.nodes ?? []), ...(raw.linuxWorkers?.nodes ?? [])];
    const node = nodes.find((n: any) => n.name === sample.node);
    const network = (parse(sample.networkConfig) as any).network;
    expect(network.version).toBe(2);
    const ethernets = Object.values(network.ethernets) as any[];
    expect(ethernets).toHaveLength(1);
    const prefix = raw.network.nodeCidr.split("/")[1];
    expect(ethernets[0].addresses).toEqual([`${node.address}/${prefix}`]);
    expect(ethernets[0].dhcp4).toBe(false);
    expect(ethernets[0].routes).toEqual([{ to: "default", via: raw.network.gateway }]);
    expect(ethernets[0].nameservers.addresses).toEqual(raw.network.dnsServers);
  });
});
