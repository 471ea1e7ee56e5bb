/** Windows unattend files: well-formed XML (xmllint) with the elements the program relies on; the first-boot script they run. */
import { describe, expect, inject, it } from "vitest";
import { renderedStacks } from "../../tools/checks/corpus";
import { parsePowerShell, placementOf } from "../../tools/checks/powershellParser";
import { frameProblems } from "../../tools/checks/powershellRules";
import { xmllint } from "../../tools/checks/tools";
import { loadStackFrom, rawStack, unattendSamples } from "../../tools/checks/samples";
import { renderFirstBootScript } from "../../components/scripts/windows/firstBoot";
import { FIRST_BOOT_SCRIPT_PATH } from "../../components/scripts/unattend";

const stacksDir = inject("stacksDir");
const stacks = renderedStacks(inject("renderRoot"));

const ns = (path: string) => path.split("/").map((p) => (p === "" || p.startsWith("@") || p.includes("(") ? p : `*[local-name()='${p}']`)).join("/");
const cases = stacks.flatMap((stack) => unattendSamples(loadStackFrom(stacksDir, stack)).map((s) => [`${stack} ${s.node}`, stack, s] as const));

describe("unattend.xml", () => {
  it("there are Windows workers", () => expect(cases.length).toBeGreaterThan(0));
  it.each(cases)("%s is well-formed XML", (_label, _stack, sample) => {
    expect(xmllint(sample.xml)).toEqual({ status: 0, output: "" });
  });
  it.each(cases)("%s names the computer, keeps the password secret and runs the first-boot script", (_label, _stack, sample) => {
    expect(xmllint(sample.xml, `string(${ns("/unattend/settings/component/ComputerName")})`).output).toBe(sample.node);
    expect(xmllint(sample.xml, `string(${ns("/unattend/settings/component/UserAccounts/AdministratorPassword/Value")})`).output).toBe("[secret]");
    const command = xmllint(sample.xml, `string(${ns("/unattend/settings/component/RunSynchronous/RunSynchronousCommand/Path")})`).output;
    expect(command).toContain(FIRST_BOOT_SCRIPT_PATH);
    expect(xmllint(sample.xml, `string(${ns("/unattend/settings/@pass")})`).output).toBe("specialize");
  });
  it.each(cases)("%s: the first-boot script parses, sets the fixed address and installs the SSH key", async (_label, stack, sample) => {
    const raw = rawStack(stacksDir, stack);
    const node = raw.windowsWorkers.nodes.find((n: any) => n.name === sample.node);
    const script = renderFirstBootScript({
      address: node.address,
      prefixLength: Number(raw.network.nodeCidr.split("/")[1]),
      gateway: raw.network.gateway,
      dnsServers: raw.network.dnsServers,
      sshPublicKey: raw.vmAccess.sshPublicKey,
    });
    expect((await parsePowerShell(script)).problems).toEqual([]);
    expect(frameProblems(script)).toEqual([]);
    for (const value of [node.address, raw.network.gateway, raw.vmAccess.sshPublicKey.trim()]) {
      const placement = await placementOf(script, value);
      expect(placement.outside, value).toEqual([]);
      expect(placement.inVerbatim, value).toBeGreaterThan(0);
    }
    expect(script).toMatch(/New-NetIPAddress[^\n]*-IPAddress/);
    expect(script).toContain("administrators_authorized_keys");
  });
});
