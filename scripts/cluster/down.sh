#!/usr/bin/env bash
# Stop and delete the kwok test cluster made by scripts/cluster/up.sh.
#
#   scripts/cluster/down.sh
#
# Always cleans up, even when kwokctl itself fails or is missing: after
# `kwokctl delete cluster` it stops any process still named in the cluster's
# pid files (only those, by pid) and removes the cluster's work directory and
# kubeconfig. Exits 0 when nothing is left running.
# Env: same as up.sh (OPENTWIN_TOOLCHAIN_CACHE, OPENTWIN_CLUSTER_NAME, KWOK_WORKDIR).
set -euo pipefail

CACHE="${OPENTWIN_TOOLCHAIN_CACHE:-$HOME/.cache/opentwin-iac}"
NAME="${OPENTWIN_CLUSTER_NAME:-opentwin-e2e}"
export KWOK_WORKDIR="${KWOK_WORKDIR:-$CACHE/kwok}"
BIN="$CACHE/bin"
KCFG="$KWOK_WORKDIR/$NAME.kubeconfig"
CDIR="$KWOK_WORKDIR/clusters/$NAME"
KWOKCTL_CONFIG="$KWOK_WORKDIR/opentwin-kwokctl.yaml"
export PATH="$BIN:$PATH"

log() { echo "down.sh: $*" >&2; }

if [[ -x "$BIN/kwokctl" ]]; then
  cfg=()
  [[ -f "$KWOKCTL_CONFIG" ]] && cfg=(-c "$KWOKCTL_CONFIG")
  if "$BIN/kwokctl" "${cfg[@]}" get clusters 2>/dev/null | grep -qx "$NAME"; then
    log "deleting cluster $NAME"
    "$BIN/kwokctl" "${cfg[@]}" --name "$NAME" delete cluster --kubeconfig "$KCFG" >&2 ||
      log "kwokctl delete cluster failed; cleaning up by hand"
  fi
fi

# alive PID: running and not a zombie (an exited child not yet reaped still
# answers kill -0).
alive() {
  local st
  st="$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)" || return 1
  [[ -n "$st" && "$st" != Z ]]
}

# Whatever kwokctl left behind: processes named in the pid files.
left=0
if [[ -d "$CDIR/pids" ]]; then
  for f in "$CDIR"/pids/*.pid; do
    [[ -f "$f" ]] || continue
    pid="$(tr -dc '0-9' <"$f")"
    [[ -n "$pid" ]] || continue
    if alive "$pid"; then
      log "stopping $(basename "$f" .pid) (pid $pid)"
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do alive "$pid" || break; sleep 0.1; done
      if alive "$pid"; then
        kill -9 "$pid" 2>/dev/null || true
        sleep 0.2
      fi
      if alive "$pid"; then left=$((left + 1)); fi
    fi
  done
fi

rm -rf "$CDIR"
rm -f "$KCFG"
if [[ "$left" -gt 0 ]]; then
  log "$left process(es) could not be stopped"
  exit 1
fi
log "cluster $NAME is down"
