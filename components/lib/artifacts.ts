/**
 * Every file a node downloads, where from, and the key under which the stack pins its checksum.
 * The key carries the version (`kubelet-linux-amd64-v1.34.4`), so changing a version without
 * pinning the new file's checksum stops at the configuration check, not on a node.
 * Upstream addresses are the projects' release locations; a mirror keeps the upstream host as the
 * first path segment, so one mirror can serve all of them without collisions.
 */
export interface ArtifactVersions {
  readonly kubernetes: string;
  readonly containerd: string;
  readonly runc: string;
  readonly cniPlugins: string;
  readonly crictl: string;
}

export interface Artifact {
  /** Stable name of the artifact, the same for every version; the file name in a node's download cache. */
  readonly name: string;
  /** Key in kubernetes.downloads.checksums: the name and the version, e.g. `kubelet-linux-amd64-v1.34.4`. */
  readonly checksumKey: string;
  readonly url: string;
}

export type ArtifactOs = "linux" | "windows";

function upstream(os: ArtifactOs, v: ArtifactVersions): { name: string; version: string; url: string }[] {
  const k8s = `https://dl.k8s.io/release/v${v.kubernetes}/bin/${os}/amd64`;
  const containerd = `https://github.com/containerd/containerd/releases/download/v${v.containerd}/containerd-${v.containerd}-${os}-amd64.tar.gz`;
  if (os === "windows") {
    // The node tarball (kubelet.exe, kubeadm.exe, kube-proxy.exe) has a SHA-512 in the Kubernetes
    // CHANGELOG; the single .exe files publish theirs only next to the download.
    return [
      { name: "containerd-windows-amd64", version: v.containerd, url: containerd },
      { name: "kubernetes-node-windows-amd64", version: v.kubernetes, url: `https://dl.k8s.io/v${v.kubernetes}/kubernetes-node-windows-amd64.tar.gz` },
    ];
  }
  return [
    { name: "containerd-linux-amd64", version: v.containerd, url: containerd },
    { name: "runc-amd64", version: v.runc, url: `https://github.com/opencontainers/runc/releases/download/v${v.runc}/runc.amd64` },
    {
      name: "cni-plugins-linux-amd64",
      version: v.cniPlugins,
      url: `https://github.com/containernetworking/plugins/releases/download/v${v.cniPlugins}/cni-plugins-linux-amd64-v${v.cniPlugins}.tgz`,
    },
    {
      name: "crictl-linux-amd64",
      version: v.crictl,
      url: `https://github.com/kubernetes-sigs/cri-tools/releases/download/v${v.crictl}/crictl-v${v.crictl}-linux-amd64.tar.gz`,
    },
    { name: "kubelet-linux-amd64", version: v.kubernetes, url: `${k8s}/kubelet` },
    { name: "kubeadm-linux-amd64", version: v.kubernetes, url: `${k8s}/kubeadm` },
    { name: "kubectl-linux-amd64", version: v.kubernetes, url: `${k8s}/kubectl` },
  ];
}

/** The artifacts a node of that OS downloads, with the mirror applied when one is set. */
export function artifactsFor(os: ArtifactOs, versions: ArtifactVersions, mirror?: string): Artifact[] {
  return upstream(os, versions).map((artifact) => ({
    name: artifact.name,
    checksumKey: `${artifact.name}-v${artifact.version.replace(/^v/, "")}`,
    url: mirrored(artifact.url, mirror),
  }));
}

function mirrored(url: string, mirror: string | undefined): string {
  if (mirror === undefined) return url;
  const withoutScheme = url.replace(/^https:\/\//, "");
  return `${mirror.replace(/\/+$/, "")}/${withoutScheme}`;
}

/** An artifact as a node downloads it: the stack's pinned checksum beside its name and address. */
export interface NodeArtifact {
  /** Artifact name, also the file name in the node's download cache. */
  readonly name: string;
  readonly url: string;
  /** `sha256:<hex>` or `sha512:<hex>`. */
  readonly checksum: string;
}
