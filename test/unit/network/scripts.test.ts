import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { Language, Parser } from "web-tree-sitter";
import { renderFlanneldScript, renderKubeProxyScript, renderWaitForNetworkScript } from "../../../components/network/scripts";
import { DEV_VALUES } from "./devValues";

let parser: Parser;

beforeAll(async () => {
  await Parser.init();
  const language = await Language.load(join(require.resolve("tree-sitter-powershell/package.json"), "..", "tree-sitter-powershell.wasm"));
  parser = new Parser();
  parser.setLanguage(language);
});

const scripts = {
  "flanneld start": () => renderFlanneldScript(DEV_VALUES),
  "kube-proxy start": () => renderKubeProxyScript(DEV_VALUES),
  "kube-proxy wait": () => renderWaitForNetworkScript({ vni: 4096, timeoutSeconds: 600 }),
};

describe("Windows networking scripts", () => {
  for (const [name, render] of Object.entries(scripts)) {
    it(`${name} parses as PowerShell without errors`, () => {
      const tree = parser.parse(render());
      expect(tree?.rootNode.hasError).toBe(false);
    });
  }

  it("quote values as single-quoted literals, even hostile ones", () => {
    const script = renderFlanneldScript({ vni: 4096, apiServer: { host: "a'b", port: 6443 } });
    expect(script).toContain("$apiServer = 'https://a''b:6443'");
    expect(parser.parse(script)?.rootNode.hasError).toBe(false);
  });

  it("point kube-proxy at the VNI's network and the control-plane endpoint", () => {
    const script = renderKubeProxyScript({ ...DEV_VALUES, vni: 5000, apiServer: { host: "10.0.0.5", port: 7443 } });
    expect(script).toContain("$networkName = 'flannel.5000'");
    expect(script).toContain("$apiServer = 'https://10.0.0.5:7443'");
    expect(script).toContain("'--proxy-mode=kernelspace'");
    expect(script).toContain('"--source-vip=$vip"');
  });

  it("write the Windows CNI config to C:\\etc\\cni\\net.d\\10-flannel.conf", () => {
    expect(renderFlanneldScript(DEV_VALUES)).toContain("$cniConfPath = 'C:\\etc\\cni\\net.d\\10-flannel.conf'");
  });

  it("stop with a non-zero exit naming the step", () => {
    for (const render of Object.values(scripts)) {
      expect(render()).toMatch(/function Stop-Step\([^)]*\) \{\n\s+Write-Output "[^"]+ failed in step '\$step': \$message"\n\s+exit 1/);
    }
  });
});
