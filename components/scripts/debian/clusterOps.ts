/**
 * Scripts run against the cluster from the first control-plane node (as root, with admin.conf):
 * the secret readers (join material, worker join command, kubeconfig) and the node lifecycle steps
 * (label, drain, delete), plus `kubeadm reset` on a node that leaves.
 */
import { ADMIN_CONF } from "../kubeVip";
import { renderBashScript, type BashStep } from "./bash";
import { KUBEADM_INIT_CONFIG_PATH, KUBELET_CONF } from "./kubeadmScripts";

const KUBECTL = `kubectl --kubeconfig "\${ROOT}${ADMIN_CONF}"`;
const NODE_NAME = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/;
const LABEL_KEY = /^([a-z0-9]([a-z0-9.-]*[a-z0-9])?\/)?[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?)?$/;

function checkNodeName(node: string): void {
  if (!NODE_NAME.test(node)) throw new Error(`node name '${node}' is not a DNS name`);
}

function requireAdminConf(): BashStep {
  return {
    name: "require_admin_conf",
    body: `[ -f "\${ROOT}${ADMIN_CONF}" ] || fail "${ADMIN_CONF} is missing: is this the first control-plane node, initialised?"`,
  };
}

/**
 * Prints a fresh control-plane join command and a new certificate key (two lines) for nodes 2 and 3.
 * Secret output: the command's step must use secretOutput.
 */
export function renderControlPlaneJoinMaterial(): string {
  return renderBashScript({
    title: "control-plane-join-material",
    description: ["Uploads the control-plane certificates under a new key and prints a join command and that key (secret)."],
    steps: [
      requireAdminConf(),
      {
        name: "print_join_material",
        body: `local upload key join
upload="$(kubeadm init phase upload-certs --upload-certs --config "\${ROOT}${KUBEADM_INIT_CONFIG_PATH}" --kubeconfig "\${ROOT}${ADMIN_CONF}")"
key="$(printf '%s\\n' "\${upload}" | tail -n 1)"
[[ "\${key}" =~ ^[0-9a-f]{64}$ ]] || fail "kubeadm printed no certificate key"
join="$(kubeadm token create --print-join-command --ttl 1h --kubeconfig "\${ROOT}${ADMIN_CONF}")"
printf '%s\\n%s\\n' "\${join}" "\${key}"`,
      },
    ],
  });
}

/** Prints a fresh worker join command (token valid 1 h). Secret output. */
export function renderWorkerJoinCommand(): string {
  return renderBashScript({
    title: "worker-join-command",
    description: ["Prints a fresh worker join command with a bootstrap token valid for one hour (secret)."],
    steps: [
      requireAdminConf(),
      { name: "print_join_command", body: `kubeadm token create --print-join-command --ttl 1h --kubeconfig "\${ROOT}${ADMIN_CONF}"` },
    ],
  });
}

/** Confirms that admin.conf is there (the create of steps whose real work is their delete). */
export function renderCheckControlPlane(): string {
  return renderBashScript({
    title: "check-control-plane",
    description: ["Confirms that this is an initialised control-plane node (admin.conf exists)."],
    steps: [requireAdminConf()],
  });
}

/** Prints admin.conf. Secret output. */
export function renderReadKubeconfig(): string {
  return renderBashScript({
    title: "read-kubeconfig",
    description: ["Prints the cluster's admin kubeconfig (secret)."],
    steps: [requireAdminConf(), { name: "print_admin_conf", body: `cat "\${ROOT}${ADMIN_CONF}"` }],
  });
}

/** Waits until the node has registered, then sets its labels (kubectl label --overwrite changes nothing when set). */
export function renderLabelNode(node: string, labels: Readonly<Record<string, string>>, waitMinutes = 10): string {
  checkNodeName(node);
  const problems = Object.entries(labels).flatMap(([key, value]) => [
    ...(LABEL_KEY.test(key) && key.length <= 316 ? [] : [`label key '${key}' is not a Kubernetes label key`]),
    ...(LABEL_VALUE.test(value) && value.length <= 63 ? [] : [`label value '${value}' of '${key}' is not a Kubernetes label value`]),
  ]);
  if (problems.length > 0) throw new Error(`label-node ${node}: ${problems.join("; ")}`);
  const pairs = Object.entries(labels).map(([key, value]) => `${key}=${value}`);
  const steps: BashStep[] = [
    requireAdminConf(),
    {
      name: "wait_for_node",
      body: `local waited=0
until ${KUBECTL} get node ${node} >/dev/null 2>&1; do
  if [ "\${waited}" -ge ${waitMinutes * 60} ]; then
    fail "node ${node} did not register within ${waitMinutes} minutes"
  fi
  sleep 5
  waited=$((waited + 5))
done`,
    },
  ];
  if (pairs.length > 0) {
    steps.push({ name: "label_node", body: `${KUBECTL} label node ${node} --overwrite ${pairs.join(" ")} >/dev/null` });
  }
  return renderBashScript({
    title: "label-node",
    description: [`Waits for node ${node} to register${pairs.length > 0 ? ` and labels it ${pairs.join(", ")}` : ""}.`],
    steps,
  });
}

/** Drains the node when it still exists (run on the first control-plane node before the node is reset). */
export function renderDrainNode(node: string, timeoutMinutes = 10): string {
  checkNodeName(node);
  return renderBashScript({
    title: "drain-node",
    description: [`Evicts every pod from node ${node}; does nothing when the node is gone.`],
    steps: [
      requireAdminConf(),
      {
        name: "drain_node",
        body: `if ! ${KUBECTL} get node ${node} >/dev/null 2>&1; then
  echo "node ${node} is not in the cluster" >&2
  return 0
fi
${KUBECTL} drain ${node} --ignore-daemonsets --delete-emptydir-data --force --timeout=${timeoutMinutes}m`,
      },
    ],
  });
}

/** Deletes the Node object when it still exists (after the node was reset, so its kubelet cannot re-register it). */
export function renderDeleteNode(node: string): string {
  checkNodeName(node);
  return renderBashScript({
    title: "delete-node",
    description: [`Deletes node ${node} from the cluster; does nothing when it is gone.`],
    steps: [
      requireAdminConf(),
      {
        name: "delete_node",
        body: `if ${KUBECTL} get node ${node} >/dev/null 2>&1; then
  ${KUBECTL} delete node ${node} --wait=true
fi`,
      },
    ],
  });
}

/** kubeadm reset on the node itself, then what reset leaves behind: CNI config, iptables rules, CNI links. */
export function renderResetNode(): string {
  return renderBashScript({
    title: "reset-node",
    description: ["Undoes kubeadm join/init on this node and removes what kubeadm reset leaves: CNI config, iptables rules, CNI links."],
    steps: [
      {
        name: "kubeadm_reset",
        body: `if [ -f "\${ROOT}${KUBELET_CONF}" ] || [ -f "\${ROOT}${ADMIN_CONF}" ] || [ -d "\${ROOT}/var/lib/kubelet/pki" ]; then
  kubeadm reset -f
fi`,
      },
      {
        name: "remove_cni_config",
        body: `if [ -d "\${ROOT}/etc/cni/net.d" ] && [ -n "$(ls -A "\${ROOT}/etc/cni/net.d")" ]; then
  rm -rf "\${ROOT}/etc/cni/net.d"/*
fi`,
      },
      {
        name: "flush_iptables",
        body: `# kubeadm reset does not clean iptables; flush only when Kubernetes or Flannel rules are left.
if iptables-save | grep -Eq 'KUBE-|FLANNEL'; then
  iptables -F
  iptables -t nat -F
  iptables -t mangle -F
  iptables -X
fi
if command -v ipvsadm >/dev/null 2>&1 && [ -n "$(ipvsadm -Ln | tail -n +4)" ]; then
  ipvsadm --clear
fi`,
      },
      {
        name: "remove_cni_links",
        body: `local link
for link in $(ip -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | grep -E '^(cni0|flannel\\.[0-9]+)$' || true); do
  ip link delete "\${link}"
done`,
      },
    ],
  });
}
