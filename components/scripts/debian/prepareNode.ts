/**
 * prepare-node: makes a fresh Debian VM ready for kubeadm (swap off, kernel modules, sysctls,
 * containerd + runc + CNI plugins + crictl + kubelet/kubeadm/kubectl from verified downloads).
 * Every step checks before it changes anything, so a second run changes and restarts nothing.
 */
import type { NodeArtifact } from "../../lib/artifacts";
import { kubernetesMinorOf } from "../../lib/catalog";
import { heredocToFile, renderBashScript, shellQuote, WRITE_IF_CHANGED_HELPER, type BashStep } from "./bash";
import { containerdHelpers, PREPARE_HELPERS } from "./prepareHelpers";
import { CONTAINERD_SERVICE, CRICTL_CONFIG, KUBELET_KUBEADM_DROP_IN, KUBELET_SERVICE } from "./units";

export type { NodeArtifact };

export interface PrepareNodeArgs {
  /** Kubernetes version, e.g. 1.34.4 (its minor must be in the catalog). */
  readonly kubernetesVersion: string;
  /** containerd version, e.g. 2.1.4: its major decides where SystemdCgroup and the sandbox image live. */
  readonly containerdVersion: string;
  /** The kubelet's pause image, e.g. registry.k8s.io/pause:3.10.1; containerd's sandbox image is set to it. */
  readonly pauseImage: string;
  /** Every Linux artifact (REQUIRED_LINUX_ARTIFACTS), each with its checksum. */
  readonly artifacts: readonly NodeArtifact[];
}

/** The artifacts prepare-node installs, by name. */
export const REQUIRED_LINUX_ARTIFACTS = [
  "containerd-linux-amd64",
  "runc-amd64",
  "cni-plugins-linux-amd64",
  "crictl-linux-amd64",
  "kubelet-linux-amd64",
  "kubeadm-linux-amd64",
  "kubectl-linux-amd64",
] as const;

/** Where containerd keeps the runc options and the sandbox (pause) image, by major version. */
export interface ContainerdConfigPaths {
  readonly runcOptionsTable: string;
  readonly sandboxTable: string;
  readonly sandboxKey: string;
}

export function containerdConfigPaths(containerdVersion: string): ContainerdConfigPaths {
  const major = /^v?(\d+)\./.exec(containerdVersion)?.[1];
  if (major === "1") {
    return {
      runcOptionsTable: `plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options`,
      sandboxTable: `plugins."io.containerd.grpc.v1.cri"`,
      sandboxKey: "sandbox_image",
    };
  }
  if (major === "2") {
    return {
      runcOptionsTable: `plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options`,
      sandboxTable: `plugins.'io.containerd.cri.v1.images'.pinned_images`,
      sandboxKey: "sandbox",
    };
  }
  throw new Error(`containerd version '${containerdVersion}' is not supported: expected 1.x or 2.x`);
}

const CHECKSUM = /^(sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$/;
const SAFE_WORD = /^[A-Za-z0-9._~:/?#@!$&()*+,;=%-]+$/;

function validate(args: PrepareNodeArgs): void {
  const problems: string[] = [];
  if (kubernetesMinorOf(args.kubernetesVersion) === undefined) problems.push(`Kubernetes version '${args.kubernetesVersion}' is not in the catalog`);
  for (const name of REQUIRED_LINUX_ARTIFACTS) {
    if (!args.artifacts.some((a) => a.name === name)) problems.push(`artifact '${name}' is missing`);
  }
  for (const artifact of args.artifacts) {
    if (!/^[a-z0-9][a-z0-9.-]*$/.test(artifact.name)) problems.push(`artifact name '${artifact.name}' is not a plain file name`);
    if (!SAFE_WORD.test(artifact.url) || artifact.url.includes("'")) problems.push(`artifact '${artifact.name}': url '${artifact.url}' has characters a URL should not have`);
    if (!CHECKSUM.test(artifact.checksum)) problems.push(`artifact '${artifact.name}': checksum '${artifact.checksum}' is not sha256:<64 hex> or sha512:<128 hex>`);
  }
  if (!/^[A-Za-z0-9./:@_-]+$/.test(args.pauseImage)) problems.push(`pause image '${args.pauseImage}' is not an image reference`);
  if (problems.length > 0) throw new Error(`prepare-node: ${problems.join("; ")}`);
}

/** Host tools kubeadm's preflight requires that a cloud image may lack, with their Debian package. */
function hostPackages(kubernetesVersion: string): [string, string][] {
  const minor = Number(kubernetesMinorOf(kubernetesVersion)?.split(".")[1] ?? "0");
  // kubeadm stopped requiring conntrack with 1.32 (kubernetes/kubernetes#126953).
  return minor < 32 ? [["iptables", "iptables"], ["conntrack", "conntrack"]] : [["iptables", "iptables"]];
}

function steps(args: PrepareNodeArgs): BashStep[] {
  const tools = hostPackages(args.kubernetesVersion);
  return [
    {
      name: "install_host_tools",
      body: `local missing=()
${tools.map(([tool, pkg]) => `if ! command -v ${tool} >/dev/null 2>&1; then missing+=(${pkg}); fi`).join("\n")}
if [ "\${#missing[@]}" -gt 0 ]; then
  DEBIAN_FRONTEND=noninteractive apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "\${missing[@]}"
fi`,
    },
    {
      name: "disable_swap",
      body: `if [ -n "$(swapon --show --noheadings)" ]; then
  swapoff -a
fi
local fstab="\${ROOT}/etc/fstab"
if [ -f "\${fstab}" ] && awk '$1 !~ /^#/ && $3 == "swap" { found = 1 } END { exit !found }' "\${fstab}"; then
  awk '$1 !~ /^#/ && $3 == "swap" { print "# swap off for the kubelet: " $0; next } { print }' "\${fstab}" > "\${fstab}.opentwin"
  cat "\${fstab}.opentwin" > "\${fstab}"
  rm -f "\${fstab}.opentwin"
fi
if [ "$(systemctl is-enabled swap.target 2>/dev/null || true)" != "masked" ]; then
  systemctl mask swap.target
fi`,
    },
    {
      name: "load_kernel_modules",
      body: `${heredocToFile('"${ROOT}/etc/modules-load.d/opentwin-kubernetes.conf"', "0644", "overlay\nbr_netfilter\n")}
local module
for module in overlay br_netfilter; do
  if [ ! -d "\${ROOT}/sys/module/\${module}" ]; then
    modprobe "\${module}"
  fi
done`,
    },
    {
      name: "apply_sysctls",
      body: `local file="\${ROOT}/etc/sysctl.d/99-opentwin-kubernetes.conf"
${heredocToFile('"${file}"', "0644", "net.bridge.bridge-nf-call-iptables = 1\nnet.bridge.bridge-nf-call-ip6tables = 1\nnet.ipv4.ip_forward = 1\n")}
local apply="\${CHANGED}" key
for key in net/bridge/bridge-nf-call-iptables net/bridge/bridge-nf-call-ip6tables net/ipv4/ip_forward; do
  if [ "$(cat "\${ROOT}/proc/sys/\${key}" 2>/dev/null || echo unset)" != "1" ]; then
    apply=1
  fi
done
if [ "\${apply}" = 1 ]; then
  sysctl -p "\${file}"
fi`,
    },
    {
      name: "download_artifacts",
      body: `mkdir -p "\${CACHE_DIR}"
local entry name url checksum target partial
for entry in "\${ARTIFACTS[@]}"; do
  read -r name url checksum <<< "\${entry}"
  target="\${CACHE_DIR}/\${name}"
  if [ -f "\${target}" ] && verify_checksum "\${target}" "\${checksum}"; then
    continue
  fi
  partial="\${target}.partial"
  rm -f "\${partial}"
  curl --fail --silent --show-error --location --retry 5 --retry-delay 5 --output "\${partial}" "\${url}"
  if ! verify_checksum "\${partial}" "\${checksum}"; then
    rm -f "\${partial}"
    fail "\${name}: the file from \${url} does not match \${checksum}"
  fi
  mv -f "\${partial}" "\${target}"
done`,
    },
    {
      name: "install_containerd",
      body: `if ! is_installed containerd-linux-amd64 "\${ROOT}/usr/local/bin/containerd"; then
  mkdir -p "\${ROOT}/usr/local"
  tar -C "\${ROOT}/usr/local" -xzf "\${CACHE_DIR}/containerd-linux-amd64"
  mark_installed containerd-linux-amd64
  CONTAINERD_RESTART=1
fi
${heredocToFile('"${ROOT}/usr/local/lib/systemd/system/containerd.service"', "0644", CONTAINERD_SERVICE)}
if [ "\${CHANGED}" = 1 ]; then
  systemctl daemon-reload
  CONTAINERD_RESTART=1
fi
if ! systemctl is-enabled --quiet containerd; then
  systemctl enable containerd
fi`,
    },
    {
      name: "install_runc",
      body: `install_binary "\${CACHE_DIR}/runc-amd64" "\${ROOT}/usr/local/sbin/runc"`,
    },
    {
      name: "install_cni_plugins",
      body: `if ! is_installed cni-plugins-linux-amd64 "\${ROOT}/opt/cni/bin/loopback"; then
  mkdir -p "\${ROOT}/opt/cni/bin"
  tar -C "\${ROOT}/opt/cni/bin" -xzf "\${CACHE_DIR}/cni-plugins-linux-amd64"
  mark_installed cni-plugins-linux-amd64
fi`,
    },
    {
      name: "install_crictl",
      body: `if ! is_installed crictl-linux-amd64 "\${ROOT}/usr/local/bin/crictl"; then
  mkdir -p "\${ROOT}/usr/local/bin"
  tar -C "\${ROOT}/usr/local/bin" -xzf "\${CACHE_DIR}/crictl-linux-amd64" crictl
  mark_installed crictl-linux-amd64
fi
${heredocToFile('"${ROOT}/etc/crictl.yaml"', "0644", CRICTL_CONFIG)}`,
    },
    {
      name: "install_kubernetes_binaries",
      body: `install_binary "\${CACHE_DIR}/kubeadm-linux-amd64" "\${ROOT}/usr/local/bin/kubeadm"
install_binary "\${CACHE_DIR}/kubectl-linux-amd64" "\${ROOT}/usr/local/bin/kubectl"
install_binary "\${CACHE_DIR}/kubelet-linux-amd64" "\${ROOT}/usr/local/bin/kubelet"
KUBELET_RESTART="\${CHANGED}"`,
    },
    {
      name: "install_kubelet_service",
      body: `local reload=0
${heredocToFile('"${ROOT}/etc/systemd/system/kubelet.service"', "0644", KUBELET_SERVICE)}
if [ "\${CHANGED}" = 1 ]; then reload=1; fi
${heredocToFile('"${ROOT}/etc/systemd/system/kubelet.service.d/10-kubeadm.conf"', "0644", KUBELET_KUBEADM_DROP_IN)}
if [ "\${CHANGED}" = 1 ]; then reload=1; fi
if [ "\${reload}" = 1 ]; then
  systemctl daemon-reload
  KUBELET_RESTART=1
fi
if ! systemctl is-enabled --quiet kubelet; then
  systemctl enable kubelet
fi
# The kubelet waits for kubeadm until init or join; restart it only when it already runs and changed.
if [ "\${KUBELET_RESTART}" = 1 ] && systemctl is-active --quiet kubelet; then
  systemctl restart kubelet
fi`,
    },
    {
      name: "configure_containerd",
      body: `local candidate
candidate="$(mktemp)"
TMP_FILES+=("\${candidate}")
containerd config default > "\${candidate}"
toml_set "\${candidate}" "\${RUNC_OPTIONS_TABLE}" SystemdCgroup 'true'
toml_set "\${candidate}" "\${SANDBOX_TABLE}" "\${SANDBOX_KEY}" "\\"\${PAUSE_IMAGE}\\""
write_if_changed "\${ROOT}/etc/containerd/config.toml" 0644 < "\${candidate}"
if [ "\${CHANGED}" = 1 ]; then
  CONTAINERD_RESTART=1
fi
if ! systemctl is-active --quiet containerd; then
  systemctl start containerd
elif [ "\${CONTAINERD_RESTART}" = 1 ]; then
  systemctl restart containerd
fi`,
    },
  ];
}

/** The prepare-node script for these versions and artifacts. Throws one error naming every bad argument. */
export function renderPrepareNode(args: PrepareNodeArgs): string {
  validate(args);
  const paths = containerdConfigPaths(args.containerdVersion);
  const artifacts = REQUIRED_LINUX_ARTIFACTS.map((name) => args.artifacts.find((a) => a.name === name)!);
  const table = artifacts.map((a) => `  ${shellQuote(`${a.name} ${a.url} ${a.checksum}`)}`).join("\n");
  return renderBashScript({
    title: "prepare-node",
    description: [
      "Prepares a Debian node for kubeadm: swap off, overlay/br_netfilter, bridge and forwarding sysctls,",
      `containerd ${args.containerdVersion} (systemd cgroups, sandbox ${args.pauseImage}), runc, CNI plugins, crictl,`,
      `kubelet/kubeadm/kubectl ${args.kubernetesVersion}. Downloads are verified before anything is installed.`,
    ],
    constants: [
      ["PAUSE_IMAGE", args.pauseImage],
      ["RUNC_OPTIONS_TABLE", paths.runcOptionsTable],
      ["SANDBOX_TABLE", paths.sandboxTable],
      ["SANDBOX_KEY", paths.sandboxKey],
    ],
    helpers: [
      `CACHE_DIR="\${ROOT}/var/cache/opentwin/artifacts"
STAMP_DIR="\${ROOT}/var/lib/opentwin/installed"
CONTAINERD_RESTART=0
KUBELET_RESTART=0
# name url checksum, one artifact each
ARTIFACTS=(
${table}
)`,
      WRITE_IF_CHANGED_HELPER,
      PREPARE_HELPERS,
      containerdHelpers(),
    ],
    steps: steps(args),
  });
}

