#!/usr/bin/env bash
# opentwin prepare-node
# Prepares a Debian node for kubeadm: swap off, overlay/br_netfilter, bridge and forwarding sysctls,
# containerd 2.1.4 (systemd cgroups, sandbox registry.k8s.io/pause:3.10.1), runc, CNI plugins, crictl,
# kubelet/kubeadm/kubectl 1.34.4. Downloads are verified before anything is installed.
# Rendered by the OpenTwin Pulumi program; secrets never appear here (they arrive on stdin).
# Every path is under OPENTWIN_ROOT (default: the real root), so the script can run in a throwaway tree.
set -Eeuo pipefail
umask 022

ROOT="${OPENTWIN_ROOT:-}"
SCRIPT_NAME='prepare-node'
CURRENT_STEP='start'
# CHANGED: set by write_if_changed/install_binary for the step that called them.
# shellcheck disable=SC2034
CHANGED=0
TMP_FILES=()
PAUSE_IMAGE='registry.k8s.io/pause:3.10.1'
RUNC_OPTIONS_TABLE='plugins.'\''io.containerd.cri.v1.runtime'\''.containerd.runtimes.runc.options'
SANDBOX_TABLE='plugins.'\''io.containerd.cri.v1.images'\''.pinned_images'
SANDBOX_KEY='sandbox'

on_exit() {
  local status=$?
  if [ "${#TMP_FILES[@]}" -gt 0 ]; then
    rm -f -- "${TMP_FILES[@]}"
  fi
  if [ "${status}" -ne 0 ]; then
    echo "${SCRIPT_NAME}: step '${CURRENT_STEP}' failed (exit ${status})" >&2
  fi
  exit "${status}"
}
trap on_exit EXIT

run_step() {
  CURRENT_STEP="$1"
  echo "${SCRIPT_NAME}: ${CURRENT_STEP}" >&2
  "$1"
}

# Stops the script with a message; the exit trap adds the step's name.
fail() {
  echo "$*" >&2
  exit 1
}

CACHE_DIR="${ROOT}/var/cache/opentwin/artifacts"
STAMP_DIR="${ROOT}/var/lib/opentwin/installed"
CONTAINERD_RESTART=0
KUBELET_RESTART=0
# name url checksum, one artifact each
ARTIFACTS=(
  'containerd-linux-amd64 https://mirror.opentwin.example/artifacts/github.com/containerd/containerd/releases/download/v2.1.4/containerd-2.1.4-linux-amd64.tar.gz sha256:316d510a0428276d931023f72c09fdff1a6ba81d6cc36f31805fea6a3c88f515'
  'runc-amd64 https://mirror.opentwin.example/artifacts/github.com/opencontainers/runc/releases/download/v1.3.4/runc.amd64 sha256:5966ca40b6187b30e33bfc299c5f1fe72e8c1aa01cf3fefdadf391668f47f103'
  'cni-plugins-linux-amd64 https://mirror.opentwin.example/artifacts/github.com/containernetworking/plugins/releases/download/v1.7.1/cni-plugins-linux-amd64-v1.7.1.tgz sha256:1a28a0506bfe5bcdc981caf1a49eeab7e72da8321f1119b7be85f22621013098'
  'crictl-linux-amd64 https://mirror.opentwin.example/artifacts/github.com/kubernetes-sigs/cri-tools/releases/download/v1.34.0/crictl-v1.34.0-linux-amd64.tar.gz sha256:a8ff2a3edb37a98daf3aba7c3b284fe0aa5bff24166d896ab9ef64c8913c9f51'
  'kubelet-linux-amd64 https://mirror.opentwin.example/artifacts/dl.k8s.io/release/v1.34.4/bin/linux/amd64/kubelet sha256:03b8fea715a7ef82eeaf518dee34c72670c57cc7bc40dc1320c04fbf4f15172f'
  'kubeadm-linux-amd64 https://mirror.opentwin.example/artifacts/dl.k8s.io/release/v1.34.4/bin/linux/amd64/kubeadm sha256:b967f1fa0e36621c402d38bb560eb4a943954d5cf5a00e5150842f6f5da73455'
  'kubectl-linux-amd64 https://mirror.opentwin.example/artifacts/dl.k8s.io/release/v1.34.4/bin/linux/amd64/kubectl sha256:d50c359d95e0841eaad08ddc27c7be37cba8fdccfba5c8e2ded65e121ff112db'
)

# write_if_changed PATH MODE < content: writes only when the content differs.
# Sets CHANGED=1 when the file was written, CHANGED=0 when it already had this content.
write_if_changed() {
  local path="$1" mode="$2" staged
  staged="$(mktemp)"
  TMP_FILES+=("${staged}")
  cat > "${staged}"
  # shellcheck disable=SC2034
  CHANGED=0
  if [ -f "${path}" ] && cmp -s "${staged}" "${path}"; then
    return 0
  fi
  mkdir -p "$(dirname "${path}")"
  install -m "${mode}" "${staged}" "${path}"
  # shellcheck disable=SC2034
  CHANGED=1
}

# verify_checksum FILE sha256:<hex>|sha512:<hex>: true when the file matches.
verify_checksum() {
  local file="$1" algorithm="${2%%:*}" digest="${2#*:}"
  case "${algorithm}" in
    sha256) printf '%s  %s\n' "${digest}" "${file}" | sha256sum --check --status ;;
    sha512) printf '%s  %s\n' "${digest}" "${file}" | sha512sum --check --status ;;
    *) fail "unknown checksum algorithm '${algorithm}'" ;;
  esac
}

# artifact_checksum NAME: prints the pinned checksum of an artifact.
artifact_checksum() {
  local entry name url checksum
  for entry in "${ARTIFACTS[@]}"; do
    read -r name url checksum <<< "${entry}"
    if [ "${name}" = "$1" ]; then
      printf '%s\n' "${checksum}"
      return 0
    fi
  done
  fail "no artifact named $1"
}

# is_installed NAME FILE: true when FILE exists and artifact NAME was installed at its pinned checksum.
is_installed() {
  local stamp="${STAMP_DIR}/$1"
  [ -e "$2" ] && [ -f "${stamp}" ] && [ "$(cat "${stamp}")" = "$(artifact_checksum "$1")" ]
}

# mark_installed NAME: records that artifact NAME is installed at its pinned checksum.
mark_installed() {
  mkdir -p "${STAMP_DIR}"
  artifact_checksum "$1" > "${STAMP_DIR}/$1"
}

# install_binary SOURCE TARGET: installs an executable when TARGET differs; sets CHANGED.
install_binary() {
  CHANGED=0
  if [ -f "$2" ] && cmp -s "$1" "$2"; then
    return 0
  fi
  mkdir -p "$(dirname "$2")"
  install -m 0755 "$1" "$2"
  CHANGED=1
}

# toml_set FILE TABLE KEY VALUE: sets KEY = VALUE inside [TABLE]; fails when [TABLE] is absent.
toml_set() {
  local file="$1" edited
  edited="$(mktemp)"
  TMP_FILES+=("${edited}")
  if ! awk -v table="[$2]" -v key="$3" -v value="$4" '
    function trim(s) { sub(/^[ \t]+/, "", s); sub(/[ \t]+$/, "", s); return s }
    {
      line = trim($0)
      if (substr(line, 1, 1) == "[") {
        if (inside && !done) { print "  " key " = " value; done = 1 }
        inside = (line == table)
        if (inside) { found = 1 }
        print
        next
      }
      if (inside && !done) {
        eq = index(line, "=")
        if (eq > 0 && trim(substr(line, 1, eq - 1)) == key) {
          lead = substr($0, 1, index($0, key) - 1)
          print lead key " = " value
          done = 1
          next
        }
      }
      print
    }
    END {
      if (inside && !done) { print "  " key " = " value }
      if (!found) { exit 3 }
    }' "${file}" > "${edited}"; then
    fail "containerd's default config has no table [$2]"
  fi
  cat "${edited}" > "${file}"
}

install_host_tools() {
  local missing=()
  if ! command -v iptables >/dev/null 2>&1; then missing+=(iptables); fi
  if [ "${#missing[@]}" -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
  fi
}

disable_swap() {
  if [ -n "$(swapon --show --noheadings)" ]; then
    swapoff -a
  fi
  local fstab="${ROOT}/etc/fstab"
  if [ -f "${fstab}" ] && awk '$1 !~ /^#/ && $3 == "swap" { found = 1 } END { exit !found }' "${fstab}"; then
    awk '$1 !~ /^#/ && $3 == "swap" { print "# swap off for the kubelet: " $0; next } { print }' "${fstab}" > "${fstab}.opentwin"
    cat "${fstab}.opentwin" > "${fstab}"
    rm -f "${fstab}.opentwin"
  fi
  if [ "$(systemctl is-enabled swap.target 2>/dev/null || true)" != "masked" ]; then
    systemctl mask swap.target
  fi
}

load_kernel_modules() {
  write_if_changed "${ROOT}/etc/modules-load.d/opentwin-kubernetes.conf" 0644 <<'OPENTWIN_EOF'
overlay
br_netfilter
OPENTWIN_EOF
  local module
  for module in overlay br_netfilter; do
    if [ ! -d "${ROOT}/sys/module/${module}" ]; then
      modprobe "${module}"
    fi
  done
}

apply_sysctls() {
  local file="${ROOT}/etc/sysctl.d/99-opentwin-kubernetes.conf"
  write_if_changed "${file}" 0644 <<'OPENTWIN_EOF'
net.bridge.bridge-nf-call-iptables = 1
net.bridge.bridge-nf-call-ip6tables = 1
net.ipv4.ip_forward = 1
OPENTWIN_EOF
  local apply="${CHANGED}" key
  for key in net/bridge/bridge-nf-call-iptables net/bridge/bridge-nf-call-ip6tables net/ipv4/ip_forward; do
    if [ "$(cat "${ROOT}/proc/sys/${key}" 2>/dev/null || echo unset)" != "1" ]; then
      apply=1
    fi
  done
  if [ "${apply}" = 1 ]; then
    sysctl -p "${file}"
  fi
}

download_artifacts() {
  mkdir -p "${CACHE_DIR}"
  local entry name url checksum target partial
  for entry in "${ARTIFACTS[@]}"; do
    read -r name url checksum <<< "${entry}"
    target="${CACHE_DIR}/${name}"
    if [ -f "${target}" ] && verify_checksum "${target}" "${checksum}"; then
      continue
    fi
    partial="${target}.partial"
    rm -f "${partial}"
    curl --fail --silent --show-error --location --retry 5 --retry-delay 5 --output "${partial}" "${url}"
    if ! verify_checksum "${partial}" "${checksum}"; then
      rm -f "${partial}"
      fail "${name}: the file from ${url} does not match ${checksum}"
    fi
    mv -f "${partial}" "${target}"
  done
}

install_containerd() {
  if ! is_installed containerd-linux-amd64 "${ROOT}/usr/local/bin/containerd"; then
    mkdir -p "${ROOT}/usr/local"
    tar -C "${ROOT}/usr/local" -xzf "${CACHE_DIR}/containerd-linux-amd64"
    mark_installed containerd-linux-amd64
    CONTAINERD_RESTART=1
  fi
  write_if_changed "${ROOT}/usr/local/lib/systemd/system/containerd.service" 0644 <<'OPENTWIN_EOF'
[Unit]
Description=containerd container runtime
Documentation=https://containerd.io
After=network.target local-fs.target dbus.service

[Service]
ExecStartPre=-/sbin/modprobe overlay
ExecStart=/usr/local/bin/containerd
Type=notify
Delegate=yes
KillMode=process
Restart=always
RestartSec=5
LimitNPROC=infinity
LimitCORE=infinity
TasksMax=infinity
OOMScoreAdjust=-999

[Install]
WantedBy=multi-user.target
OPENTWIN_EOF
  if [ "${CHANGED}" = 1 ]; then
    systemctl daemon-reload
    CONTAINERD_RESTART=1
  fi
  if ! systemctl is-enabled --quiet containerd; then
    systemctl enable containerd
  fi
}

install_runc() {
  install_binary "${CACHE_DIR}/runc-amd64" "${ROOT}/usr/local/sbin/runc"
}

install_cni_plugins() {
  if ! is_installed cni-plugins-linux-amd64 "${ROOT}/opt/cni/bin/loopback"; then
    mkdir -p "${ROOT}/opt/cni/bin"
    tar -C "${ROOT}/opt/cni/bin" -xzf "${CACHE_DIR}/cni-plugins-linux-amd64"
    mark_installed cni-plugins-linux-amd64
  fi
}

install_crictl() {
  if ! is_installed crictl-linux-amd64 "${ROOT}/usr/local/bin/crictl"; then
    mkdir -p "${ROOT}/usr/local/bin"
    tar -C "${ROOT}/usr/local/bin" -xzf "${CACHE_DIR}/crictl-linux-amd64" crictl
    mark_installed crictl-linux-amd64
  fi
  write_if_changed "${ROOT}/etc/crictl.yaml" 0644 <<'OPENTWIN_EOF'
runtime-endpoint: unix:///run/containerd/containerd.sock
image-endpoint: unix:///run/containerd/containerd.sock
timeout: 10
OPENTWIN_EOF
}

install_kubernetes_binaries() {
  install_binary "${CACHE_DIR}/kubeadm-linux-amd64" "${ROOT}/usr/local/bin/kubeadm"
  install_binary "${CACHE_DIR}/kubectl-linux-amd64" "${ROOT}/usr/local/bin/kubectl"
  install_binary "${CACHE_DIR}/kubelet-linux-amd64" "${ROOT}/usr/local/bin/kubelet"
  KUBELET_RESTART="${CHANGED}"
}

install_kubelet_service() {
  local reload=0
  write_if_changed "${ROOT}/etc/systemd/system/kubelet.service" 0644 <<'OPENTWIN_EOF'
[Unit]
Description=kubelet: The Kubernetes Node Agent
Documentation=https://kubernetes.io/docs/
Wants=network-online.target containerd.service
After=network-online.target containerd.service

[Service]
ExecStart=/usr/local/bin/kubelet
Restart=always
StartLimitInterval=0
RestartSec=10

[Install]
WantedBy=multi-user.target
OPENTWIN_EOF
  if [ "${CHANGED}" = 1 ]; then reload=1; fi
  write_if_changed "${ROOT}/etc/systemd/system/kubelet.service.d/10-kubeadm.conf" 0644 <<'OPENTWIN_EOF'
[Service]
Environment="KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf"
Environment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"
EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env
EnvironmentFile=-/etc/default/kubelet
ExecStart=
ExecStart=/usr/local/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS
OPENTWIN_EOF
  if [ "${CHANGED}" = 1 ]; then reload=1; fi
  if [ "${reload}" = 1 ]; then
    systemctl daemon-reload
    KUBELET_RESTART=1
  fi
  if ! systemctl is-enabled --quiet kubelet; then
    systemctl enable kubelet
  fi
  # The kubelet waits for kubeadm until init or join; restart it only when it already runs and changed.
  if [ "${KUBELET_RESTART}" = 1 ] && systemctl is-active --quiet kubelet; then
    systemctl restart kubelet
  fi
}

configure_containerd() {
  local candidate
  candidate="$(mktemp)"
  TMP_FILES+=("${candidate}")
  containerd config default > "${candidate}"
  toml_set "${candidate}" "${RUNC_OPTIONS_TABLE}" SystemdCgroup 'true'
  toml_set "${candidate}" "${SANDBOX_TABLE}" "${SANDBOX_KEY}" "\"${PAUSE_IMAGE}\""
  write_if_changed "${ROOT}/etc/containerd/config.toml" 0644 < "${candidate}"
  if [ "${CHANGED}" = 1 ]; then
    CONTAINERD_RESTART=1
  fi
  if ! systemctl is-active --quiet containerd; then
    systemctl start containerd
  elif [ "${CONTAINERD_RESTART}" = 1 ]; then
    systemctl restart containerd
  fi
}

main() {
  run_step install_host_tools
  run_step disable_swap
  run_step load_kernel_modules
  run_step apply_sysctls
  run_step download_artifacts
  run_step install_containerd
  run_step install_runc
  run_step install_cni_plugins
  run_step install_crictl
  run_step install_kubernetes_binaries
  run_step install_kubelet_service
  run_step configure_containerd
  CURRENT_STEP='done'
}

main "$@"
