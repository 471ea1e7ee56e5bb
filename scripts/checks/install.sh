#!/usr/bin/env bash
# Installs the tools the host-check tier runs (Debian packages), only when missing:
#   shellcheck (bash scripts), cloud-init (`cloud-init schema`), libxml2-utils (xmllint, unattend.xml).
# kubeadm comes from scripts/toolchain/cluster.sh (built from k8s.io/kubernetes); the tier uses it when present.
set -euo pipefail
missing=()
command -v shellcheck >/dev/null 2>&1 || missing+=(shellcheck)
command -v cloud-init >/dev/null 2>&1 || missing+=(cloud-init)
command -v xmllint >/dev/null 2>&1 || missing+=(libxml2-utils)
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install.sh: missing ${missing[*]}; run as root or install them: apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "install.sh: installing ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
