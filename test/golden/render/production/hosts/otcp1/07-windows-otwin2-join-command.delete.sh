set -eu
on_exit() { rc=$?; if [ "$rc" -ne 0 ]; then echo 'step '\''delete node otwin2'\'' failed' "(exit $rc)" >&2; fi; }
trap on_exit EXIT
sudo kubectl --kubeconfig /etc/kubernetes/admin.conf delete node 'otwin2' --ignore-not-found
