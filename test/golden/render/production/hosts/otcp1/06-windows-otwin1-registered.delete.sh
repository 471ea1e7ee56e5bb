set -eu
on_exit() { rc=$?; if [ "$rc" -ne 0 ]; then echo 'step '\''drain otwin1'\'' failed' "(exit $rc)" >&2; fi; }
trap on_exit EXIT
if sudo kubectl --kubeconfig /etc/kubernetes/admin.conf get node 'otwin1' >/dev/null 2>&1; then
  sudo kubectl --kubeconfig /etc/kubernetes/admin.conf drain 'otwin1' --ignore-daemonsets --delete-emptydir-data --timeout=10m
fi
