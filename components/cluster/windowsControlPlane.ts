/**
 * bash run on the first control-plane node (Debian, sudo without password) on behalf of a Windows
 * worker: a fresh join command, the wait for the Node object, drain, delete.
 */

const KUBECTL = "sudo kubectl --kubeconfig /etc/kubernetes/admin.conf";

/** A POSIX shell single-quoted literal. */
export function shQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function frame(stepName: string, body: string): string {
  return [
    "set -eu",
    `on_exit() { rc=$?; if [ "$rc" -ne 0 ]; then echo ${shQuote(`step '${stepName}' failed`)} "(exit $rc)" >&2; fi; }`,
    "trap on_exit EXIT",
    body.trim(),
  ].join("\n");
}

/** Prints `kubeadm join <endpoint> --token ... --discovery-token-ca-cert-hash ...` (secret output). */
export function joinCommandScript(nodeName: string): string {
  return frame(`join command for ${nodeName}`, "sudo kubeadm token create --print-join-command --ttl 1h");
}

/** Waits (up to `minutes`) until the Node object exists, i.e. the kubelet registered. */
export function waitRegisteredScript(nodeName: string, minutes: number): string {
  const node = shQuote(nodeName);
  return frame(
    `node ${nodeName} registered`,
    `deadline=$(( $(date +%s) + ${Math.round(minutes * 60)} ))
until ${KUBECTL} get node ${node} >/dev/null 2>&1; do
  if [ "$(date +%s)" -ge "$deadline" ]; then echo "node ${nodeName} did not register within ${minutes} minutes" >&2; exit 1; fi
  sleep 10
done
echo "node ${nodeName} registered"`,
  );
}

/** The drain's flags: the same as the Linux workers' drain-node (components/scripts/debian/clusterOps.ts). */
export function drainFlags(minutes: number): string {
  return `--ignore-daemonsets --delete-emptydir-data --force --timeout=${Math.round(minutes)}m`;
}

/**
 * Drains the node before it is reset, like the Linux workers' drain (--force: pods without a
 * controller are deleted too, since the node goes away). A Node that is gone (kubectl reports
 * NotFound, also when it goes while the drain runs) is success; any other failure stops the step.
 */
export function drainScript(nodeName: string, minutes: number): string {
  const node = shQuote(nodeName);
  return frame(
    `drain ${nodeName}`,
    `rc=0
out=$(${KUBECTL} drain ${node} ${drainFlags(minutes)} 2>&1) || rc=$?
printf '%s\\n' "$out"
if [ "$rc" -ne 0 ]; then
  if printf '%s' "$out" | grep -qF ${shQuote(`nodes "${nodeName}" not found`)}; then
    echo "node ${nodeName} is not in the cluster: nothing to drain"
    exit 0
  fi
  exit "$rc"
fi`,
  );
}

/** Deletes the Node object after the node was reset; nothing when it is gone. */
export function deleteNodeScript(nodeName: string): string {
  return frame(`delete node ${nodeName}`, `${KUBECTL} delete node ${shQuote(nodeName)} --ignore-not-found`);
}
