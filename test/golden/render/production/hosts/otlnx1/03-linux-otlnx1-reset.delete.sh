#!/usr/bin/env bash
# opentwin reset-node
# Undoes kubeadm join/init on this node and removes what kubeadm reset leaves: CNI config, iptables rules, CNI links.
# Rendered by the OpenTwin Pulumi program; secrets never appear here (they arrive on stdin).
# Every path is under OPENTWIN_ROOT (default: the real root), so the script can run in a throwaway tree.
set -Eeuo pipefail
umask 022

ROOT="${OPENTWIN_ROOT:-}"
SCRIPT_NAME='reset-node'
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

kubeadm_reset() {
  if [ -f "${ROOT}/etc/kubernetes/kubelet.conf" ] || [ -f "${ROOT}/etc/kubernetes/admin.conf" ] || [ -d "${ROOT}/var/lib/kubelet/pki" ]; then
    kubeadm reset -f
  fi
}

remove_cni_config() {
  if [ -d "${ROOT}/etc/cni/net.d" ] && [ -n "$(ls -A "${ROOT}/etc/cni/net.d")" ]; then
    rm -rf "${ROOT}/etc/cni/net.d"/*
  fi
}

flush_iptables() {
  # kubeadm reset does not clean iptables; flush only when Kubernetes or Flannel rules are left.
  if iptables-save | grep -Eq 'KUBE-|FLANNEL'; then
    iptables -F
    iptables -t nat -F
    iptables -t mangle -F
    iptables -X
  fi
  if command -v ipvsadm >/dev/null 2>&1 && [ -n "$(ipvsadm -Ln | tail -n +4)" ]; then
    ipvsadm --clear
  fi
}

remove_cni_links() {
  local link
  for link in $(ip -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | grep -E '^(cni0|flannel\.[0-9]+)$' || true); do
    ip link delete "${link}"
  done
}

main() {
  run_step kubeadm_reset
  run_step remove_cni_config
  run_step flush_iptables
  run_step remove_cni_links
  CURRENT_STEP='done'
}

main "$@"
