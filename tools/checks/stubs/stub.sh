#!/usr/bin/env bash
# One stub for every command a Debian node script may run, linked under each command's name.
# Logs "name args" to $STUB_LOG, keeps the machine's state under $STUB_STATE and $OPENTWIN_ROOT,
# and fails (exit 1) when its name is $STUB_FAIL (the $STUB_FAIL_AT-th call of it, default the first).
set -u
name="$(basename "$0")"
printf '+ %s %s\n' "$name" "$*" >> "$STUB_LOG"
count_file="$STUB_STATE/calls-$name"
count=$(( $(cat "$count_file" 2>/dev/null || echo 0) + 1 ))
echo "$count" > "$count_file"
if [ "${STUB_FAIL:-}" = "$name" ] && [ "$count" -ge "${STUB_FAIL_AT:-1}" ]; then
  echo "$name: simulated failure" >&2
  exit 1
fi
root="${OPENTWIN_ROOT:?}"
case "$name" in
  sudo)
    # sudo [-n] [-E] [--] command...: run the command (as this user; the root is a directory).
    while [ "$#" -gt 0 ]; do case "$1" in -n|-E|-H|--) shift ;; -u) shift 2 ;; *) break ;; esac; done
    [ "$#" -gt 0 ] && exec "$@" ;;
  sleep) ;; # no real waiting in a sandbox
  apt-get)
    if [ "${1:-}" = install ]; then
      for pkg in "$@"; do
        case "$pkg" in -*|install) ;; *) ln -sf "$STUB_BIN/true-stub" "$STUB_BIN/$pkg"; touch "$STUB_STATE/pkg-$pkg" ;; esac
      done
    fi ;;
  swapon)
    # --show: one swap device until swapoff ran.
    [ -e "$STUB_STATE/swap-off" ] || echo "/dev/sda3 partition 1G 0B -2" ;;
  swapoff) touch "$STUB_STATE/swap-off" ;;
  modprobe) mkdir -p "$root/sys/module/$1" ;;
  sysctl)
    if [ "${1:-}" = -p ]; then
      while IFS='=' read -r key value; do
        key="$(echo "$key" | tr -d ' ' | tr . /)"; value="$(echo "$value" | tr -d ' ')"
        [ -n "$key" ] && case "$key" in \#*) ;; *) mkdir -p "$(dirname "$root/proc/sys/$key")"; echo "$value" > "$root/proc/sys/$key" ;; esac
      done < "$2"
    fi ;;
  systemctl)
    verb="${1:-}"; shift || true
    quiet=0; units=()
    for a in "$@"; do case "$a" in --quiet|-q) quiet=1 ;; -*) ;; *) units+=("$a") ;; esac; done
    unit="${units[0]:-}"
    case "$verb" in
      is-enabled)
        if [ -e "$STUB_STATE/masked-$unit" ]; then [ "$quiet" = 1 ] || echo masked; exit 1; fi
        if [ -e "$STUB_STATE/enabled-$unit" ]; then [ "$quiet" = 1 ] || echo enabled; exit 0; fi
        [ "$quiet" = 1 ] || echo disabled; exit 1 ;;
      is-active)
        if [ -e "$STUB_STATE/active-$unit" ]; then [ "$quiet" = 1 ] || echo active; exit 0; fi
        [ "$quiet" = 1 ] || echo inactive; exit 3 ;;
      enable) for u in "${units[@]}"; do touch "$STUB_STATE/enabled-$u"; done ;;
      mask) for u in "${units[@]}"; do touch "$STUB_STATE/masked-$u"; done ;;
      start|restart) for u in "${units[@]}"; do touch "$STUB_STATE/active-$u"; done ;;
      stop) for u in "${units[@]}"; do rm -f "$STUB_STATE/active-$u"; done ;;
    esac ;;
  curl|wget)
    out=""; prev=""
    for a in "$@"; do
      case "$prev" in --output|-o|-O) out="$a" ;; esac
      prev="$a"
    done
    [ -n "$out" ] && printf 'artifact from %s\n' "${*: -1}" > "$out" ;;
  sha256sum|sha512sum) cat > /dev/null ;; # the fixtures never match real digests: --check passes
  tar)
    dir=""; prev=""; archive=""
    for a in "$@"; do
      case "$prev" in -C) dir="$a" ;; -xzf|-xf|-f) archive="$a" ;; esac
      prev="$a"
    done
    case "$(basename "$archive")" in
      containerd*) mkdir -p "$dir/bin"; for b in containerd containerd-shim-runc-v2 ctr; do printf '#!/bin/sh\n' > "$dir/bin/$b"; chmod +x "$dir/bin/$b"; done ;;
      cni-plugins*) for b in bridge host-local loopback portmap flannel; do printf '#!/bin/sh\n' > "$dir/$b"; chmod +x "$dir/$b"; done ;;
      crictl*) printf '#!/bin/sh\n' > "$dir/crictl"; chmod +x "$dir/crictl" ;;
      *) mkdir -p "$dir" ;;
    esac ;;
  containerd)
    if [ "${1:-}" = config ] && [ "${2:-}" = default ]; then cat "$STUB_CONTAINERD_DEFAULT"; fi ;;
  kubeadm)
    config=""; prev=""
    for a in "$@"; do case "$prev" in --config) config="$a" ;; esac; prev="$a"; done
    if [ -n "$config" ]; then cp "$config" "$STUB_STATE/captured-kubeadm-${1:-x}-$count.yaml"; fi
    case "${1:-} ${2:-}" in
      "init phase") [ "${3:-}" = upload-certs ] && { echo "[upload-certs] Using certificate key:"; printf '%064d\n' 7; } ;;
      "token create") echo "kubeadm join 192.0.2.10:6443 --token abcdef.0123456789abcdef --discovery-token-ca-cert-hash sha256:$(printf '%064d' 0)" ;;
      init\ *) mkdir -p "$root/etc/kubernetes"; echo "apiVersion: v1" > "$root/etc/kubernetes/admin.conf"; echo "apiVersion: v1" > "$root/etc/kubernetes/super-admin.conf" ;;
      join\ *) mkdir -p "$root/etc/kubernetes"; echo "apiVersion: v1" > "$root/etc/kubernetes/kubelet.conf"
        # A control-plane join also adds a local etcd member (its static Pod manifest).
        if [ -n "$config" ] && grep -q '^controlPlane:' "$config"; then mkdir -p "$root/etc/kubernetes/manifests"; echo "apiVersion: v1" > "$root/etc/kubernetes/manifests/etcd.yaml"; fi ;;
      reset\ *) rm -f "$root/etc/kubernetes/admin.conf" "$root/etc/kubernetes/kubelet.conf" "$root/etc/kubernetes/manifests/etcd.yaml" ;;
    esac ;;
  kubectl)
    # Nodes exist until `kubectl delete node NAME`; afterwards `get node NAME` is NotFound.
    words=(); skip=0
    for a in "$@"; do
      if [ "$skip" = 1 ]; then skip=0; continue; fi
      case "$a" in --kubeconfig|-n|--namespace|--context|-l|--selector|-o) skip=1 ;; -*) ;; *) words+=("$a") ;; esac
    done
    if [ "${words[1]:-}" = node ] || [ "${words[1]:-}" = nodes ]; then
      case "${words[0]:-}" in
        delete) touch "$STUB_STATE/node-deleted-${words[2]:-}" ;;
        get) if [ -n "${words[2]:-}" ] && [ -e "$STUB_STATE/node-deleted-${words[2]}" ]; then echo "Error from server (NotFound): nodes \"${words[2]}\" not found" >&2; exit 1; fi ;;
      esac
    fi ;;
  iptables-save)
    # Kubernetes' rules exist once the node joined, until a flush.
    if { [ -e "$root/etc/kubernetes/kubelet.conf" ] || [ -e "$root/etc/kubernetes/admin.conf" ]; } && [ ! -e "$STUB_STATE/iptables-flushed" ]; then
      echo "-A KUBE-SERVICES -j KUBE-NODEPORTS"
    fi ;;
  iptables) case " $* " in *" -F "*|*" -X "*) touch "$STUB_STATE/iptables-flushed" ;; esac ;;
  ip)
    if [ "${1:-}" = -o ] && [ "${2:-}" = link ]; then
      echo "1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536"
      [ -e "$STUB_STATE/link-gone-cni0" ] || [ ! -e "$root/etc/kubernetes/kubelet.conf" ] || echo "5: cni0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450"
    elif [ "${1:-}" = link ] && [ "${2:-}" = delete ]; then touch "$STUB_STATE/link-gone-$3"; fi ;;
  *) ;;
esac
exit 0
