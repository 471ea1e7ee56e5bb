/* eslint-disable @typescript-eslint/no-explicit-any -- parsed YAML/JSON documents (stack files, manifests, OpenAPI schemas) are untyped data here. */
/**
 * Variant stacks the host checks render besides dev and production: each is a repository stack
 * with a few values changed, written as a stack file into a temporary stacks directory.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse, stringify } from "yaml";

export interface Variant {
  readonly name: string;
  readonly base: string;
  readonly why: string;
  readonly edit: (config: Record<string, any>) => void;
}

/** Values that break naive quoting in PowerShell: spaces, apostrophes (ASCII and typographic), $, backtick, double quote. */
export const HOSTILE = {
  vmPath: "D:\\Hyper-V\\O'Twin $env:TEMP `n dev",
  switchName: "Open'Twin $(Stop-Computer) \u2019Ext\"",
  debianDisk: "D:\\Images\\deb'ian $x.vhdx",
  windowsDisk: "D:\\Images\\WS 2022 'core' $(1+1).vhdx",
};

export const VARIANTS: readonly Variant[] = [
  {
    name: "hostile-quoting",
    base: "dev",
    why: "vmPath, switchName and base disks with spaces, apostrophes, $ and backticks",
    edit: (c) => {
      const host = c["opentwin:hosts"][0];
      host.vmPath = HOSTILE.vmPath;
      host.switchName = HOSTILE.switchName;
      host.baseDisks = { debian: HOSTILE.debianDisk, windows: HOSTILE.windowsDisk };
    },
  },
  {
    name: "k8s130",
    base: "dev",
    why: "Kubernetes 1.30 (kubeadm config API v1beta3) with containerd 1.7",
    edit: (c) => {
      const kubernetes = c["opentwin:kubernetes"];
      kubernetes.version = "1.30.14";
      kubernetes.containerdVersion = "1.7.28";
      // Checksum keys carry the version. This stack is only rendered for the checks, never deployed,
      // so dev's checksums are re-keyed for the new versions (their values do not match those files).
      const rekeyed = (key: string) => key.replace("-v1.34.4", "-v1.30.14").replace("containerd-linux-amd64-v2.1.4", "containerd-linux-amd64-v1.7.28").replace("containerd-windows-amd64-v2.1.4", "containerd-windows-amd64-v1.7.28");
      kubernetes.downloads.checksums = Object.fromEntries(Object.entries(kubernetes.downloads.checksums).map(([key, value]) => [rekeyed(key), value]));
      c["opentwin:flannel"].images.windowsKubeProxy = "registry.opentwin.local/k8s/kube-proxy-hostprocess:v1.30.14";
    },
  },
];

export function writeVariant(repoRoot: string, stacksDir: string, variant: Variant): void {
  const document = parse(readFileSync(join(repoRoot, "stacks", `Pulumi.${variant.base}.yaml`), "utf8")) as { config: Record<string, any> };
  variant.edit(document.config);
  writeFileSync(join(stacksDir, `Pulumi.${variant.name}.yaml`), stringify(document, { lineWidth: 0 }));
}
