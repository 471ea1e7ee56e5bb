set -eu
on_exit() { rc=$?; if [ "$rc" -ne 0 ]; then echo 'step '\''drain otwin1'\'' failed' "(exit $rc)" >&2; fi; }
trap on_exit EXIT
rc=0
out=$(sudo kubectl --kubeconfig /etc/kubernetes/admin.conf drain 'otwin1' --ignore-daemonsets --delete-emptydir-data --force --timeout=10m 2>&1) || rc=$?
printf '%s\n' "$out"
if [ "$rc" -ne 0 ]; then
  if printf '%s' "$out" | grep -qF 'nodes "otwin1" not found'; then
    echo "node otwin1 is not in the cluster: nothing to drain"
    exit 0
  fi
  exit "$rc"
fi
