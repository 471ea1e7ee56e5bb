#!/usr/bin/env bash
# opentwin kubeadm-init
# Initialises the cluster on the first control-plane node with the kubeadm config below.
# Does nothing when /etc/kubernetes/admin.conf exists.
# Rendered by the OpenTwin Pulumi program; secrets never appear here (they arrive on stdin).
# Every path is under OPENTWIN_ROOT (default: the real root), so the script can run in a throwaway tree.
set -Eeuo pipefail
umask 022

ROOT="${OPENTWIN_ROOT:-}"
SCRIPT_NAME='kubeadm-init'
CURRENT_STEP='start'
# CHANGED: set by write_if_changed/install_binary for the step that called them.
# shellcheck disable=SC2034
CHANGED=0
TMP_FILES=()

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

write_kubeadm_config() {
  write_if_changed "${ROOT}/etc/opentwin/kubeadm-init.yaml" 0644 <<'OPENTWIN_EOF'
apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
localAPIEndpoint:
  advertiseAddress: 192.168.50.11
  bindPort: 6443
nodeRegistration:
  name: otcp1
  criSocket: unix:///run/containerd/containerd.sock
  kubeletExtraArgs:
    - name: node-ip
      value: 192.168.50.11
---
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
kubernetesVersion: v1.34.4
controlPlaneEndpoint: 192.168.50.11:6443
networking:
  podSubnet: 10.244.0.0/16
  serviceSubnet: 10.96.0.0/12
  dnsDomain: cluster.local
apiServer:
  certSANs:
    - 192.168.50.11
    - otcp1
---
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: systemd
OPENTWIN_EOF
}

kubeadm_init() {
  if [ -f "${ROOT}/etc/kubernetes/admin.conf" ]; then
    echo "already initialised (/etc/kubernetes/admin.conf exists)" >&2
    return 0
  fi
  # The skip flags keep the bootstrap token and certificate key out of the output.
  mkdir -p "${ROOT}/var/log/opentwin"
  chmod 0700 "${ROOT}/var/log/opentwin"
  if ! kubeadm init --config "${ROOT}/etc/opentwin/kubeadm-init.yaml" --skip-token-print --skip-certificate-key-print > "${ROOT}/var/log/opentwin/kubeadm-init.log" 2>&1; then
    tail -n 40 "${ROOT}/var/log/opentwin/kubeadm-init.log" >&2
    fail "kubeadm failed; the whole log is /var/log/opentwin/kubeadm-init.log on the node"
  fi
}

main() {
  run_step write_kubeadm_config
  run_step kubeadm_init
  CURRENT_STEP='done'
}

main "$@"
