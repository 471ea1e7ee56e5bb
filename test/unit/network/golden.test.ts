import { describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { flannelManifests } from "../../../components/network/manifests";
import { renderFlanneldScript, renderKubeProxyScript, renderWaitForNetworkScript } from "../../../components/network/scripts";
import { WAIT_FOR_NETWORK_SECONDS } from "../../../components/network/windowsManifests";
import { DEV_VALUES } from "./devValues";
import { expectGolden as expectGoldenFile } from "../../support/golden";
const expectGolden = (file: string, actual: string) => expectGoldenFile(`network/${file}`, actual);

describe("Flannel golden files (dev stack values)", () => {
  const manifests = flannelManifests(DEV_VALUES);

  it("renders the same objects, in the same order, as reviewed", () => {
    expectGolden("objects.txt", manifests.map((m) => `${m.role} ${m.kind} ${(m.object as { metadata: { name: string } }).metadata.name}\n`).join(""));
  });

  for (const manifest of manifests) {
    it(`renders ${manifest.kind} ${manifest.role} as reviewed`, () => {
      expectGolden(`${manifest.role}.yaml`, stringify(manifest.object, { lineWidth: 0, aliasDuplicateObjects: false }));
    });
  }

  it("renders the Windows scripts as reviewed", () => {
    expectGolden("windows-flanneld-start.ps1", renderFlanneldScript(DEV_VALUES));
    expectGolden("windows-kube-proxy-start.ps1", renderKubeProxyScript(DEV_VALUES));
    expectGolden("windows-kube-proxy-wait.ps1", renderWaitForNetworkScript({ vni: DEV_VALUES.vni, timeoutSeconds: WAIT_FOR_NETWORK_SECONDS }));
  });

  it("renders nothing for Windows when Windows is disabled", () => {
    const linuxOnly = flannelManifests({ ...DEV_VALUES, windows: { ...DEV_VALUES.windows, enabled: false } });
    expect(linuxOnly.map((m) => m.role)).toEqual(["namespace", "service-account", "cluster-role", "cluster-role-binding", "config", "linux"]);
  });
});
