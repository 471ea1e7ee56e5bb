#!/usr/bin/env bash
# Build the binaries of a small loopback Kubernetes cluster with simulated
# (kwok) nodes, from the Go module proxy only, with pinned versions:
#
#   kube-apiserver, kube-controller-manager, kube-scheduler, kubeadm, kubectl
#       k8s.io/kubernetes ${K8S_VERSION}, built through a wrapper module that
#       replaces every staging k8s.io/* module with its published v0.x version
#   etcd, etcdctl  go.etcd.io/etcd/{server,etcdctl}/v3 ${ETCD_VERSION} (wrapper module)
#   kwok, kwokctl  sigs.k8s.io/kwok ${KWOK_VERSION} (no replace directives)
#
# Output: ${OPENTWIN_TOOLCHAIN_CACHE:-$HOME/.cache/opentwin-iac}/bin
# Shared Go caches: $CACHE/gomod (GOMODCACHE) and $CACHE/gobuild (GOCACHE).
#
# A warm run only checks a stamp file per binary and pinned version plus the
# binary's own --version output, so it takes seconds.
#
# Usage: scripts/toolchain/cluster.sh [--force] [--print-bin-dir]
#   --force          rebuild everything (keeps the Go caches)
#   --print-bin-dir  print the bin directory and exit (no build)
# Env:  OPENTWIN_TOOLCHAIN_CACHE  cache root
#       OPENTWIN_KUBECTL=build|machine|auto (default auto: use the machine's
#       kubectl if it is within one minor of the API server, else build it)
set -euo pipefail

# ---- pins -------------------------------------------------------------------
K8S_VERSION=v1.34.4
K8S_STAGING_VERSION=v0.34.4
ETCD_VERSION=v3.6.5 # kubeadm v1.34 constants: DefaultEtcdVersion 3.6.5-0
KWOK_VERSION=v0.8.0
# Bump when the build recipe (flags, layout) changes, to invalidate stamps.
RECIPE=1

CACHE="${OPENTWIN_TOOLCHAIN_CACHE:-$HOME/.cache/opentwin-iac}"
BIN="$CACHE/bin"
STAMPS="$CACHE/stamps"
SRC="$CACHE/src"

FORCE=0
for arg in "$@"; do
  case "$arg" in
    --force) FORCE=1 ;;
    --print-bin-dir) echo "$BIN"; exit 0 ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done

mkdir -p "$BIN" "$STAMPS" "$SRC" "$CACHE/gomod" "$CACHE/gobuild"
export GOMODCACHE="$CACHE/gomod"
export GOCACHE="$CACHE/gobuild"
export GOTOOLCHAIN=local
export GOFLAGS="-buildvcs=false"
export CGO_ENABLED=0

# One cluster.sh at a time per cache (the Go caches themselves are safe to
# share with other concurrent builds, e.g. the Pulumi CLI build).
exec 9>"$CACHE/.cluster-toolchain.lock"
if ! flock -w 3600 9; then
  echo "cluster.sh: could not lock $CACHE/.cluster-toolchain.lock" >&2
  exit 1
fi

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

declare -a SUMMARY=()
record() { SUMMARY+=("$(printf '%-24s %-8s %8ss  %s' "$1" "$2" "$3" "$4")"); }

# version_ok NAME EXPECTED: true when $BIN/NAME --version mentions EXPECTED.
version_of() {
  local name="$1"
  case "$name" in
    kubeadm) "$BIN/kubeadm" version -o short 2>/dev/null ;;
    kubectl) "$BIN/kubectl" version --client 2>/dev/null | head -n1 ;;
    etcdctl) "$BIN/etcdctl" version 2>/dev/null | head -n1 ;;
    *) "$BIN/$name" --version 2>/dev/null | head -n1 ;;
  esac
}
version_ok() {
  local out
  out="$(version_of "$1" || true)"
  [[ "$out" == *"$2"* ]]
}

stamp_path() { echo "$STAMPS/$1-$2-r$RECIPE"; }

# is_warm NAME VERSION EXPECTED_VERSION_TEXT
is_warm() {
  [[ "$FORCE" == 0 ]] && [[ -f "$(stamp_path "$1" "$2")" ]] &&
    [[ -x "$BIN/$1" ]] && version_ok "$1" "$3"
}

mark_built() { date -u +%FT%TZ >"$(stamp_path "$1" "$2")"; }

# wrapper_module DIR GO_MOD_TEXT TOOLS_GO_TEXT: (re)write a wrapper module and
# `go mod tidy` it, unless the same seed was tidied before.
wrapper_module() {
  local dir="$1" mod="$2" tools="$3" seed
  seed="$(printf '%s\n--\n%s\n' "$mod" "$tools")"
  mkdir -p "$dir"
  if [[ -f "$dir/go.sum" && -f "$dir/.seed" && "$(cat "$dir/.seed")" == "$seed" ]]; then
    return
  fi
  printf '%s\n' "$mod" >"$dir/go.mod"
  printf '%s\n' "$tools" >"$dir/tools.go"
  (cd "$dir" && go mod tidy >&2)
  printf '%s' "$seed" >"$dir/.seed"
}

# ---- Kubernetes wrapper module -----------------------------------------------
k8s_module() {
  local dir="$SRC/k8s-$K8S_VERSION" kgomod mod tools
  go mod download "k8s.io/kubernetes@$K8S_VERSION" >&2
  kgomod="$GOMODCACHE/k8s.io/kubernetes@$K8S_VERSION/go.mod"
  mod="$(
    echo "module opentwin.local/toolchain/k8s"
    echo
    echo "go 1.24.0"
    echo
    echo "require k8s.io/kubernetes $K8S_VERSION"
    echo
    echo "// Every staging module that k8s.io/kubernetes replaces with ./staging"
    echo "// is taken at its published version instead."
    echo "replace ("
    sed -n '/^replace (/,/^)/p' "$kgomod" | awk -v v="$K8S_STAGING_VERSION" \
      '$2 == "=>" && $3 ~ /^\.\/staging\// { printf "\t%s => %s %s\n", $1, $1, v }'
    echo ")"
  )"
  tools='//go:build tools

package tools

import (
	_ "k8s.io/kubernetes/cmd/kube-apiserver"
	_ "k8s.io/kubernetes/cmd/kube-controller-manager"
	_ "k8s.io/kubernetes/cmd/kube-scheduler"
	_ "k8s.io/kubernetes/cmd/kubeadm"
	_ "k8s.io/kubernetes/cmd/kubectl"
)'
  wrapper_module "$dir" "$mod" "$tools"
  echo "$dir"
}

k8s_ldflags() {
  local info="$GOMODCACHE/cache/download/k8s.io/kubernetes/@v/$K8S_VERSION.info"
  local date major minor
  # Build date = the release's commit time from the module proxy (reproducible).
  date="$(sed -n 's/.*"Time":"\([^"]*\)".*/\1/p' "$info" 2>/dev/null || true)"
  date="${date:-1970-01-01T00:00:00Z}"
  major="${K8S_VERSION#v}"; major="${major%%.*}"
  minor="${K8S_VERSION#v*.}"; minor="${minor%%.*}"
  local flags="-s -w"
  local pkg key val
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    for kv in "gitVersion=$K8S_VERSION" "gitMajor=$major" "gitMinor=$minor" \
      "gitTreeState=clean" "gitCommit=module-proxy-$K8S_VERSION" "buildDate=$date"; do
      key="${kv%%=*}"; val="${kv#*=}"
      flags+=" -X $pkg.$key=$val"
    done
  done
  echo "$flags"
}

build_k8s() {
  local name="$1" expected="Kubernetes $K8S_VERSION"
  [[ "$name" == kubeadm ]] && expected="$K8S_VERSION"
  [[ "$name" == kubectl ]] && expected="Client Version: $K8S_VERSION"
  if is_warm "$name" "$K8S_VERSION" "$expected"; then
    record "$name" cached 0.0 "$(version_of "$name")"
    return
  fi
  local t dir
  t="$(now)"
  dir="$(k8s_module)"
  (cd "$dir" && go build -trimpath -ldflags "$(k8s_ldflags)" \
    -o "$BIN/.$name.tmp" "k8s.io/kubernetes/cmd/$name")
  mv -f "$BIN/.$name.tmp" "$BIN/$name"
  version_ok "$name" "$expected" || {
    echo "$name: unexpected version: $(version_of "$name")" >&2
    exit 1
  }
  mark_built "$name" "$K8S_VERSION"
  record "$name" built "$(elapsed "$t")" "$(version_of "$name")"
}

# ---- etcd ---------------------------------------------------------------------
etcd_module() {
  local dir="$SRC/etcd-$ETCD_VERSION"
  # The etcd modules' own replace directives (../api etc.) only apply when
  # they are the main module, so a wrapper takes them as dependencies.
  wrapper_module "$dir" "module opentwin.local/toolchain/etcd

go 1.24

require (
	go.etcd.io/etcd/etcdctl/v3 $ETCD_VERSION
	go.etcd.io/etcd/server/v3 $ETCD_VERSION
)" '//go:build tools

package tools

import (
	_ "go.etcd.io/etcd/etcdctl/v3"
	_ "go.etcd.io/etcd/server/v3"
)'
  echo "$dir"
}

# build_etcd NAME PACKAGE EXPECTED_VERSION_TEXT
build_etcd() {
  local name="$1" pkg="$2" expected="$3"
  if is_warm "$name" "$ETCD_VERSION" "$expected"; then
    record "$name" cached 0.0 "$(version_of "$name")"
    return
  fi
  local t dir
  t="$(now)"
  dir="$(etcd_module)"
  (cd "$dir" && go build -trimpath \
    -ldflags "-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=module-proxy-$ETCD_VERSION" \
    -o "$BIN/.$name.tmp" "$pkg")
  mv -f "$BIN/.$name.tmp" "$BIN/$name"
  version_ok "$name" "$expected" || {
    echo "$name: unexpected version: $(version_of "$name")" >&2
    exit 1
  }
  mark_built "$name" "$ETCD_VERSION"
  record "$name" built "$(elapsed "$t")" "$(version_of "$name")"
}

# ---- kwok / kwokctl ----------------------------------------------------------
build_kwok() {
  local name="$1" expected="${KWOK_VERSION#v}"
  if is_warm "$name" "$KWOK_VERSION" "$expected"; then
    record "$name" cached 0.0 "$(version_of "$name")"
    return
  fi
  local t gobin="$CACHE/.gobin-$name"
  t="$(now)"
  rm -rf "$gobin"
  mkdir -p "$gobin"
  # go install pkg@version refuses modules with replace directives; v0.8.0 has
  # none, so this is the module exactly as published.
  GOBIN="$gobin" go install -trimpath \
    -ldflags "-s -w -X sigs.k8s.io/kwok/pkg/consts.Version=${KWOK_VERSION#v} -X sigs.k8s.io/kwok/pkg/consts.KubeVersion=$K8S_VERSION" \
    "sigs.k8s.io/kwok/cmd/$name@$KWOK_VERSION"
  mv -f "$gobin/$name" "$BIN/$name"
  rm -rf "$gobin"
  version_ok "$name" "$expected" || {
    echo "$name: unexpected version: $(version_of "$name")" >&2
    exit 1
  }
  mark_built "$name" "$KWOK_VERSION"
  record "$name" built "$(elapsed "$t")" "$(version_of "$name")"
}

# ---- kubectl: the machine's, if close enough ---------------------------------
machine_kubectl_usable() {
  local mk out minor want
  mk="$(command -v kubectl 2>/dev/null || true)"
  [[ -n "$mk" && "$mk" != "$BIN/kubectl" ]] || return 1
  out="$("$mk" version --client 2>/dev/null | head -n1 || true)"
  # "Client Version: v1.32.4-dispatcher" -> 32
  minor="$(sed -n 's/^Client Version: v1\.\([0-9]*\)\..*/\1/p' <<<"$out")"
  [[ -n "$minor" ]] || return 1
  want="${K8S_VERSION#v1.}"; want="${want%%.*}"
  local d=$((minor - want))
  [[ "${d#-}" -le 1 ]] || {
    echo "machine kubectl $mk is '$out': more than one minor away from $K8S_VERSION, building kubectl" >&2
    return 1
  }
  ln -sfn "$mk" "$BIN/kubectl"
  record kubectl machine 0.0 "$out ($mk)"
}

# ---- main ---------------------------------------------------------------------
T0="$(now)"
echo "toolchain cache: $CACHE" >&2
build_kwok kwokctl
build_kwok kwok
build_etcd etcd go.etcd.io/etcd/server/v3 "etcd Version: ${ETCD_VERSION#v}"
build_etcd etcdctl go.etcd.io/etcd/etcdctl/v3 "etcdctl version: ${ETCD_VERSION#v}"
build_k8s kube-apiserver
build_k8s kube-controller-manager
build_k8s kube-scheduler
build_k8s kubeadm
case "${OPENTWIN_KUBECTL:-auto}" in
  machine) machine_kubectl_usable || { echo "machine kubectl not usable" >&2; exit 1; } ;;
  build) build_k8s kubectl ;;
  auto)
    if [[ -L "$BIN/kubectl" || ! -e "$BIN/kubectl" ]] && machine_kubectl_usable; then :; else
      [[ -L "$BIN/kubectl" ]] && rm -f "$BIN/kubectl"
      build_k8s kubectl
    fi
    ;;
  *) echo "OPENTWIN_KUBECTL must be auto, build or machine" >&2; exit 2 ;;
esac

{
  echo "binary                   status      time  version"
  printf '%s\n' "${SUMMARY[@]}"
  echo "total: $(elapsed "$T0")s  bin: $BIN"
} >&2
