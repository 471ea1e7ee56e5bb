#!/usr/bin/env bash
# opentwin worker-join-command
# Prints a fresh worker join command with a bootstrap token valid for one hour (secret).
# Rendered by the OpenTwin Pulumi program; secrets never appear here (they arrive on stdin).
# Every path is under OPENTWIN_ROOT (default: the real root), so the script can run in a throwaway tree.
set -Eeuo pipefail
umask 022

ROOT="${OPENTWIN_ROOT:-}"
SCRIPT_NAME='worker-join-command'
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

require_admin_conf() {
  [ -f "${ROOT}/etc/kubernetes/admin.conf" ] || fail "/etc/kubernetes/admin.conf is missing: is this the first control-plane node, initialised?"
}

print_join_command() {
  kubeadm token create --print-join-command --ttl 1h --kubeconfig "${ROOT}/etc/kubernetes/admin.conf"
}

main() {
  run_step require_admin_conf
  run_step print_join_command
  CURRENT_STEP='done'
}

main "$@"
