set -eu
on_exit() { rc=$?; if [ "$rc" -ne 0 ]; then echo 'step '\''join command for otwin1'\'' failed' "(exit $rc)" >&2; fi; }
trap on_exit EXIT
sudo kubeadm token create --print-join-command --ttl 1h
