#!/usr/bin/env bash
# opentwin mongodb-data-directory
# Creates the folder of MongoDB's local PersistentVolume, owned by the mongo image's user.
# Rendered by the OpenTwin Pulumi program; secrets never appear here (they arrive on stdin).
# Every path is under OPENTWIN_ROOT (default: the real root), so the script can run in a throwaway tree.
set -Eeuo pipefail
umask 022

ROOT="${OPENTWIN_ROOT:-}"
SCRIPT_NAME='mongodb-data-directory'
CURRENT_STEP='start'
# CHANGED: set by write_if_changed/install_binary for the step that called them.
# shellcheck disable=SC2034
CHANGED=0
TMP_FILES=()
DATA_DIR='/var/lib/opentwin/mongodb'

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

create_data_directory() {
  install -d -m 0700 -o 999 -g 999 "${ROOT}${DATA_DIR}"
}

main() {
  run_step create_data_directory
  CURRENT_STEP='done'
}

main "$@"
