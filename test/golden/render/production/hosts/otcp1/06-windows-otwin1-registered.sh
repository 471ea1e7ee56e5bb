set -eu
on_exit() { rc=$?; if [ "$rc" -ne 0 ]; then echo 'step '\''node otwin1 registered'\'' failed' "(exit $rc)" >&2; fi; }
trap on_exit EXIT
deadline=$(( $(date +%s) + 2700 ))
until sudo kubectl --kubeconfig /etc/kubernetes/admin.conf get node 'otwin1' >/dev/null 2>&1; do
  if [ "$(date +%s)" -ge "$deadline" ]; then echo "node otwin1 did not register within 45 minutes" >&2; exit 1; fi
  sleep 10
done
echo "node otwin1 registered"
