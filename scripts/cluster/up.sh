#!/usr/bin/env bash
# Start (or re-use) a loopback Kubernetes cluster with simulated kwok nodes.
#
#   scripts/cluster/up.sh [--verify]
#
# 1. scripts/toolchain/cluster.sh makes sure the pinned binaries are built
#    (seconds when warm).
# 2. kwokctl creates cluster $OPENTWIN_CLUSTER_NAME (default opentwin-e2e) with
#    the binary runtime: etcd, kube-apiserver, kube-controller-manager,
#    kube-scheduler and kwok-controller as local processes bound to 127.0.0.1.
#    A running cluster of that name is re-used; a stopped one is started.
# 3. The simulated nodes of scripts/cluster/nodes.yaml are applied and waited
#    for (Ready).
# --verify then proves scheduling: a Windows Deployment for build 10.0.20348
#    lands only on otwin1/otwin2 and reaches Running, and a hostProcess
#    DaemonSet is accepted by the API server.
#
# Prints the kubeconfig path on stdout (last line: KUBECONFIG=...).
# Env: OPENTWIN_TOOLCHAIN_CACHE (cache root), OPENTWIN_CLUSTER_NAME,
#      KWOK_WORKDIR (default $CACHE/kwok), OPENTWIN_CLUSTER_TIMEOUT (default 180s)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
CACHE="${OPENTWIN_TOOLCHAIN_CACHE:-$HOME/.cache/opentwin-iac}"
NAME="${OPENTWIN_CLUSTER_NAME:-opentwin-e2e}"
export KWOK_WORKDIR="${KWOK_WORKDIR:-$CACHE/kwok}"
TIMEOUT="${OPENTWIN_CLUSTER_TIMEOUT:-180}"
KCFG="$KWOK_WORKDIR/$NAME.kubeconfig"
CONTEXT="kwok-$NAME"

VERIFY=0
for arg in "$@"; do
  case "$arg" in
    --verify) VERIFY=1 ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "unknown argument: $arg" >&2; exit 2 ;;
  esac
done

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
log() { echo "up.sh: $*" >&2; }

T0="$(now)"
"$REPO/scripts/toolchain/cluster.sh" >&2
BIN="$("$REPO/scripts/toolchain/cluster.sh" --print-bin-dir)"
T_TOOLS="$(elapsed "$T0")"
# kwokctl runs `kubectl` from PATH before its kubectlBinary option (seen: it
# waited on the machine's v1.32 /usr/bin/kubectl), so put ours first.
export PATH="$BIN:$PATH"

mkdir -p "$KWOK_WORKDIR"
# Options that kwokctl v0.8.0 has no command-line flag for (there is no
# --kubectl-binary flag: "unknown flag: --kubectl-binary").
KWOKCTL_CONFIG="$KWOK_WORKDIR/opentwin-kwokctl.yaml"
cat >"$KWOKCTL_CONFIG" <<EOF
apiVersion: config.kwok.x-k8s.io/v1alpha1
kind: KwokctlConfiguration
options:
  # Every component listens on loopback only (kwok's default is 0.0.0.0).
  bindAddress: 127.0.0.1
  kubectlBinary: $BIN/kubectl
  etcdctlBinary: $BIN/etcdctl
EOF

kwokctl() { "$BIN/kwokctl" -c "$KWOKCTL_CONFIG" --name "$NAME" "$@"; }
kctl() { "$BIN/kubectl" --kubeconfig "$KCFG" --context "$CONTEXT" "$@"; }

cluster_exists() { "$BIN/kwokctl" -c "$KWOKCTL_CONFIG" get clusters 2>/dev/null | grep -qx "$NAME"; }
api_ready() { [[ -f "$KCFG" ]] && kctl get --raw /readyz >/dev/null 2>&1; }

create_cluster() {
  log "creating cluster $NAME (binary runtime, workdir $KWOK_WORKDIR)"
  kwokctl create cluster \
    --runtime binary \
    --kubeconfig "$KCFG" \
    --kube-apiserver-binary "$BIN/kube-apiserver" \
    --kube-controller-manager-binary "$BIN/kube-controller-manager" \
    --kube-scheduler-binary "$BIN/kube-scheduler" \
    --etcd-binary "$BIN/etcd" \
    --kwok-controller-binary "$BIN/kwok" \
    --timeout "${TIMEOUT}s" \
    --wait "${TIMEOUT}s" >&2
}

T1="$(now)"
STATE=created
if cluster_exists && api_ready; then
  STATE=reused
  log "cluster $NAME is running, re-using it"
elif cluster_exists; then
  STATE=restarted
  log "cluster $NAME exists but its API server does not answer: restarting it"
  # stop first: `start` alone keeps a component whose pid is still known
  # (a killed, unreaped kube-apiserver) and then waits in vain.
  kwokctl stop cluster >&2 || true
  if ! kwokctl start cluster --timeout 60s --wait 60s >&2 || ! api_ready; then
    STATE=recreated
    log "start failed: deleting and re-creating $NAME"
    "$HERE/down.sh" >&2 || true
    create_cluster
  else
    # The restarted kwok-controller has a new identity and only takes over a
    # node once the old controller's node Lease expires (200s here): pods sat
    # Pending that long. Deleting the stale Leases lets it claim them now.
    kctl -n kube-node-lease delete leases --all >&2 || true
  fi
else
  # Leftovers of a cluster kwokctl no longer lists would clash on ports/paths.
  rm -rf "$KWOK_WORKDIR/clusters/$NAME"
  if ! create_cluster; then
    log "create failed; component logs are under $KWOK_WORKDIR/clusters/$NAME/logs"
    for f in "$KWOK_WORKDIR/clusters/$NAME"/logs/*.log; do
      [[ -f "$f" ]] && { echo "--- $f (tail)" >&2; tail -n 15 "$f" >&2; }
    done
    "$HERE/down.sh" >&2 || true
    exit 1
  fi
fi
T_CLUSTER="$(elapsed "$T1")"

# The ServiceAccount admission plugin rejects pods until the controller
# manager has made the namespace's default ServiceAccount.
for _ in $(seq 1 "$TIMEOUT"); do
  kctl -n default get serviceaccount default >/dev/null 2>&1 && break
  sleep 1
done

T2="$(now)"
kctl apply -f "$HERE/nodes.yaml" >&2
kctl wait --for=condition=Ready node --all --timeout="${TIMEOUT}s" >&2
T_NODES="$(elapsed "$T2")"
kctl get nodes -o wide >&2

verify() {
  local ns=opentwin-e2e-verify
  log "verify: scheduling onto the simulated Windows nodes (namespace $ns)"
  kctl delete namespace "$ns" --ignore-not-found --wait=true >&2
  kctl create namespace "$ns" >&2
  kctl -n "$ns" apply -f - >&2 <<'EOF'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: win-ltsc2022
spec:
  replicas: 4
  selector:
    matchLabels: {app: win-ltsc2022}
  template:
    metadata:
      labels: {app: win-ltsc2022}
    spec:
      os: {name: windows}
      nodeSelector:
        kubernetes.io/os: windows
        node.kubernetes.io/windows-build: "10.0.20348"
      tolerations:
        - {key: os, operator: Equal, value: windows, effect: NoSchedule}
      containers:
        - name: app
          image: mcr.microsoft.com/windows/servercore:ltsc2022
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: win-hostprocess
spec:
  selector:
    matchLabels: {app: win-hostprocess}
  template:
    metadata:
      labels: {app: win-hostprocess}
    spec:
      os: {name: windows}
      hostNetwork: true
      securityContext:
        windowsOptions:
          hostProcess: true
          runAsUserName: "NT AUTHORITY\\SYSTEM"
      nodeSelector:
        kubernetes.io/os: windows
        node.kubernetes.io/windows-build: "10.0.20348"
      tolerations:
        - {key: os, operator: Equal, value: windows, effect: NoSchedule}
      containers:
        - name: agent
          image: mcr.microsoft.com/oss/kubernetes/windows-host-process-containers-base-image:v1.0.0
EOF
  kctl -n "$ns" rollout status deployment/win-ltsc2022 --timeout="${TIMEOUT}s" >&2
  kctl -n "$ns" rollout status daemonset/win-hostprocess --timeout="${TIMEOUT}s" >&2
  kctl -n "$ns" get pods -o wide >&2
  local bad
  bad="$(kctl -n "$ns" get pods -o jsonpath='{range .items[*]}{.spec.nodeName}{" "}{.status.phase}{"\n"}{end}' |
    awk '($1 != "otwin1" && $1 != "otwin2") || $2 != "Running"')"
  if [[ -n "$bad" ]]; then
    log "verify FAILED: pods off otwin1/otwin2 or not Running: $bad"
    return 1
  fi
  local n
  n="$(kctl -n "$ns" get pods -o name | wc -l)"
  log "verify OK: $n pods, all Running on otwin1/otwin2, none on otwin-old/otlnx1/otcp1"
  kctl delete namespace "$ns" --wait=false >&2
}
[[ "$VERIFY" == 1 ]] && verify

log "cluster $NAME $STATE; toolchain ${T_TOOLS}s, cluster ${T_CLUSTER}s, nodes ${T_NODES}s, total $(elapsed "$T0")s"
echo "KUBECONFIG=$KCFG"
