/**
 * kubeadm init on the first control-plane node, control-plane join (nodes 2 and 3) and worker join.
 * Guards: init, a complete cluster (see initCompletionCheck); joins, /etc/kubernetes/kubelet.conf. Join secrets
 * arrive on stdin, are checked for their form, and only ever reach a 0600 temporary file that the
 * exit trap deletes; the config files on disk carry placeholders.
 */
import { JOIN_PLACEHOLDERS } from "../kubeadm";
import { ADMIN_CONF, KUBE_VIP_MANIFEST_PATH } from "../kubeVip";
import { heredocToFile, renderBashScript, WRITE_IF_CHANGED_HELPER, type BashStep } from "./bash";

export const KUBEADM_INIT_CONFIG_PATH = "/etc/opentwin/kubeadm-init.yaml";
export const KUBEADM_JOIN_TEMPLATE_PATH = "/etc/opentwin/kubeadm-join.yaml";
export const KUBELET_CONF = "/etc/kubernetes/kubelet.conf";
/** The kubeadm log on the node (root only), for diagnosing a failed init or join. */
export const KUBEADM_LOG_DIR = "/var/log/opentwin";

export interface KubeadmInitScriptArgs {
  /** renderInitConfiguration's output. */
  readonly initConfiguration: string;
  /** Three control-plane nodes: upload the control-plane certificates for the joins. */
  readonly uploadCerts: boolean;
  /** With a VIP: kube-vip's manifest using super-admin.conf (during init) and admin.conf (after). */
  readonly kubeVip?: { readonly duringInit: string; readonly afterInit: string };
}

function kubeadmLogged(logName: string, command: string): string {
  return `mkdir -p "\${ROOT}${KUBEADM_LOG_DIR}"
chmod 0700 "\${ROOT}${KUBEADM_LOG_DIR}"
if ! ${command} > "\${ROOT}${KUBEADM_LOG_DIR}/${logName}" 2>&1; then
  tail -n 40 "\${ROOT}${KUBEADM_LOG_DIR}/${logName}" >&2
  fail "kubeadm failed; the whole log is ${KUBEADM_LOG_DIR}/${logName} on the node"
fi`;
}

/** Minutes a re-run waits for the API server of an existing admin.conf (it may be starting after a reboot). */
export const API_WAIT_MINUTES = 2;

/**
 * What the late `kubeadm init` phases leave in the cluster, as [kubectl get arguments, what and which phase].
 * upload-config: kubeadm-config and kubelet-config; bootstrap-token: cluster-info; addon: CoreDNS and kube-proxy.
 */
export const INIT_PHASE_OBJECTS: readonly (readonly [string, string])[] = [
  ["-n kube-system configmap kubeadm-config", "ConfigMap kube-system/kubeadm-config (phase upload-config)"],
  ["-n kube-system configmap kubelet-config", "ConfigMap kube-system/kubelet-config (phase upload-config)"],
  ["-n kube-public configmap cluster-info", "ConfigMap kube-public/cluster-info (phase bootstrap-token)"],
  ["-n kube-system deployment coredns", "Deployment kube-system/coredns (phase addon)"],
  ["-n kube-system configmap kube-proxy", "ConfigMap kube-system/kube-proxy (phase addon)"],
  ["-n kube-system daemonset kube-proxy", "DaemonSet kube-system/kube-proxy (phase addon)"],
];

/** The init phases after wait-control-plane, in kubeadm's order; each is safe to run again. */
export function lateInitPhases(uploadCerts: boolean): string[] {
  const config = `--config "\${ROOT}${KUBEADM_INIT_CONFIG_PATH}"`;
  return [
    `kubeadm init phase upload-config all ${config}`,
    ...(uploadCerts ? [`kubeadm init phase upload-certs --upload-certs ${config} --skip-certificate-key-print`] : []),
    `kubeadm init phase mark-control-plane ${config}`,
    `kubeadm init phase bootstrap-token ${config} --skip-token-print`,
    `kubeadm init phase kubelet-finalize all ${config}`,
    `kubeadm init phase addon all ${config}`,
  ];
}

/**
 * Inside the kubeadm_init step when admin.conf exists: the API must answer (else stop with the
 * recovery), then "already initialised" only when every late-phase object exists; otherwise the late
 * phases run again (not kubeadm reset: that could destroy a working etcd).
 */
function initCompletionCheck(uploadCerts: boolean): string {
  const kubectl = `kubectl --kubeconfig "\${ROOT}${ADMIN_CONF}"`;
  const checks = INIT_PHASE_OBJECTS.map(([what, label]) => `  ${kubectl} get ${what} > /dev/null 2>&1 || missing+=(${JSON.stringify(label)})`).join("\n");
  const tries = (API_WAIT_MINUTES * 60) / 5;
  return `  local tries=0 missing=()
  until ${kubectl} get --raw /readyz > /dev/null 2>&1; do
    tries=$((tries + 1))
    if [ "\${tries}" -ge ${tries} ]; then
      fail "${ADMIN_CONF} exists but the API server did not answer /readyz within ${API_WAIT_MINUTES} minutes: an earlier kubeadm init stopped before the control plane came up (log: ${KUBEADM_LOG_DIR}/kubeadm-init.log on the node). To recover: run 'kubeadm reset -f' on this node, then 'pulumi up' again"
    fi
    sleep 5
  done
${checks}
  if [ "\${#missing[@]}" -eq 0 ]; then
    echo "already initialised (${ADMIN_CONF} exists, the API answers, the late init phases' objects exist)" >&2
    return 0
  fi
  echo "an earlier kubeadm init stopped part-way; missing: \${missing[*]}; running the late init phases again" >&2
${kubeadmLogged("kubeadm-init-phases.log", `{ ${lateInitPhases(uploadCerts).join(" && ")}; }`).replace(/^/gm, "  ")}
  return 0`;
}

/** kubeadm init (guarded by a complete cluster, see initCompletionCheck); kube-vip switched to admin.conf once init is done. */
export function renderKubeadmInit(args: KubeadmInitScriptArgs): string {
  const manifest = `"\${ROOT}${KUBE_VIP_MANIFEST_PATH}"`;
  const steps: BashStep[] = [
    { name: "write_kubeadm_config", body: heredocToFile(`"\${ROOT}${KUBEADM_INIT_CONFIG_PATH}"`, "0644", args.initConfiguration) },
  ];
  if (args.kubeVip !== undefined) {
    steps.push({
      name: "place_kube_vip_for_init",
      body: `# kubeadm >= 1.29 grants admin.conf its rights only at the end of init: kube-vip needs super-admin.conf until then.
if [ -f "\${ROOT}${ADMIN_CONF}" ]; then
  return 0
fi
${heredocToFile(manifest, "0600", args.kubeVip.duringInit)}`,
    });
  }
  const flags = args.uploadCerts ? " --upload-certs" : "";
  steps.push({
    name: "kubeadm_init",
    body: `if [ -f "\${ROOT}${ADMIN_CONF}" ]; then
  # admin.conf is written before kubeadm waits for the control plane: alone it does not prove init finished.
${initCompletionCheck(args.uploadCerts)}
fi
# The skip flags keep the bootstrap token and certificate key out of the output.
${kubeadmLogged("kubeadm-init.log", `kubeadm init --config "\${ROOT}${KUBEADM_INIT_CONFIG_PATH}"${flags} --skip-token-print --skip-certificate-key-print`)}`,
  });
  if (args.kubeVip !== undefined) {
    steps.push({ name: "switch_kube_vip_to_admin_conf", body: heredocToFile(manifest, "0600", args.kubeVip.afterInit) });
  }
  return renderBashScript({
    title: "kubeadm-init",
    description: [
      "Initialises the cluster on the first control-plane node with the kubeadm config below.",
      "Does nothing when the cluster is complete (admin.conf, the API answers /readyz, the objects of the late init phases exist);",
      "runs the late init phases again when admin.conf exists and the API answers but some of those objects are missing;",
      "stops, naming the recovery, when admin.conf exists and the API does not answer.",
    ],
    helpers: [WRITE_IF_CHANGED_HELPER],
    steps,
  });
}

export interface KubeadmJoinScriptArgs {
  /** renderJoinConfiguration's output (with JOIN_PLACEHOLDERS). */
  readonly joinConfiguration: string;
  /** A control-plane join: stdin also carries the certificate key. */
  readonly controlPlane: boolean;
  /** kube-vip's manifest (admin.conf), placed before the join on a control-plane node with a VIP. */
  readonly kubeVipManifest?: string;
  /** The node's name, which a re-run checks is registered; default: nodeRegistration.name of joinConfiguration. */
  readonly nodeName?: string;
}

/** nodeRegistration.name of a rendered JoinConfiguration. */
function joinNodeName(joinConfiguration: string): string {
  const name = /^nodeRegistration:\n(?: {2}.*\n)*? {2}name: "?([a-z0-9][a-z0-9.-]*)"?$/m.exec(joinConfiguration)?.[1];
  if (name === undefined) throw new Error("the JoinConfiguration has no nodeRegistration.name");
  return name;
}

/** Static Pod manifest of the local etcd member, written by the control-plane-join etcd phase (after kubelet.conf). */
export const ETCD_MANIFEST = "/etc/kubernetes/manifests/etcd.yaml";

/**
 * Inside the kubeadm_join step when kubelet.conf exists. kubelet.conf is written when the kubelet's TLS
 * bootstrap ends: the last phase of a worker join, but before control-plane-join (etcd member, marking)
 * on a control-plane node. So: a control-plane node also needs its etcd manifest; every node must be
 * registered (get node NAME with the kubelet's own credentials, which the Node authorizer allows).
 * A half-joined node is not repaired in place (adding an etcd member twice breaks quorum): the step
 * stops with the recovery.
 */
function joinCompletionCheck(args: KubeadmJoinScriptArgs): string {
  const recovery = "To recover: run 'kubeadm reset -f' on this node, then 'pulumi up' again";
  const etcd = args.controlPlane
    ? `  if [ ! -f "\${ROOT}${ETCD_MANIFEST}" ]; then
    fail "${KUBELET_CONF} exists but ${ETCD_MANIFEST} does not: an earlier control-plane join stopped before this node's etcd member was added (log: ${KUBEADM_LOG_DIR}/kubeadm-join.log on the node). ${recovery}"
  fi
`
    : "";
  const tries = (API_WAIT_MINUTES * 60) / 5;
  return `${etcd}  local tries=0
  until kubectl --kubeconfig "\${ROOT}${KUBELET_CONF}" get node "\${NODE_NAME}" > /dev/null 2>&1; do
    tries=$((tries + 1))
    if [ "\${tries}" -ge ${tries} ]; then
      fail "${KUBELET_CONF} exists but node \${NODE_NAME} is not registered (kubectl get node with the kubelet's kubeconfig, ${API_WAIT_MINUTES} minutes): an earlier join stopped part-way, or the API is down. ${recovery}"
    fi
    sleep 5
  done
  echo "already joined (${KUBELET_CONF} exists${args.controlPlane ? `, ${ETCD_MANIFEST} exists` : ""}, node \${NODE_NAME} is registered)" >&2
  return 0`;
}

/** Reads the join material from stdin: the `kubeadm join ...` line and, for control planes, the certificate key. */
function readJoinMaterialStep(controlPlane: boolean): BashStep {
  return {
    name: "read_join_material",
    body: `# stdin: a 'kubeadm join <endpoint> --token T --discovery-token-ca-cert-hash H' line${controlPlane ? " and a line with the certificate key" : ""}.
local line words i
while IFS= read -r line || [ -n "\${line}" ]; do
  if [[ "\${line}" == "kubeadm join "* ]]; then
    read -r -a words <<< "\${line}"
    for ((i = 0; i < \${#words[@]} - 1; i++)); do
      case "\${words[i]}" in
        --token) JOIN_TOKEN="\${words[i + 1]}" ;;
        --discovery-token-ca-cert-hash) JOIN_CA_HASH="\${words[i + 1]}" ;;
      esac
    done
${
    controlPlane
      ? `  elif [[ "\${line}" =~ ^[0-9a-f]{64}$ ]]; then
    JOIN_CERTIFICATE_KEY="\${line}"
`
      : ""
  }  fi
done
if [ -f "\${ROOT}${KUBELET_CONF}" ]; then
  return 0
fi
[[ "\${JOIN_TOKEN}" =~ ^[a-z0-9]{6}\\.[a-z0-9]{16}$ ]] || fail "stdin holds no valid bootstrap token"
[[ "\${JOIN_CA_HASH}" =~ ^sha256:[0-9a-f]{64}$ ]] || fail "stdin holds no valid CA certificate hash"${
      controlPlane ? `\n[[ "\${JOIN_CERTIFICATE_KEY}" =~ ^[0-9a-f]{64}$ ]] || fail "stdin holds no valid certificate key"` : ""
    }`,
  };
}

/** kubeadm join (guarded by kubelet.conf and joinCompletionCheck), with the secrets put into a 0600 copy of the template. */
export function renderKubeadmJoin(args: KubeadmJoinScriptArgs): string {
  const steps: BashStep[] = [
    readJoinMaterialStep(args.controlPlane),
    { name: "write_join_template", body: heredocToFile(`"\${ROOT}${KUBEADM_JOIN_TEMPLATE_PATH}"`, "0644", args.joinConfiguration) },
  ];
  if (args.kubeVipManifest !== undefined) {
    steps.push({ name: "place_kube_vip", body: heredocToFile(`"\${ROOT}${KUBE_VIP_MANIFEST_PATH}"`, "0600", args.kubeVipManifest) });
  }
  const certificateKey = args.controlPlane ? `\nconfig="\${config//"\${PLACEHOLDER_CERTIFICATE_KEY}"/\${JOIN_CERTIFICATE_KEY}}"` : "";
  steps.push({
    name: "kubeadm_join",
    body: `if [ -f "\${ROOT}${KUBELET_CONF}" ]; then
${joinCompletionCheck(args)}
fi
local config secret_file
config="$(cat "\${ROOT}${KUBEADM_JOIN_TEMPLATE_PATH}")"
config="\${config//"\${PLACEHOLDER_CA_HASH}"/\${JOIN_CA_HASH}}"
config="\${config//"\${PLACEHOLDER_TOKEN}"/\${JOIN_TOKEN}}"${certificateKey}
secret_file="$(umask 077 && mktemp)"
TMP_FILES+=("\${secret_file}")
printf '%s\\n' "\${config}" > "\${secret_file}"
${kubeadmLogged("kubeadm-join.log", `kubeadm join --config "\${secret_file}"`)}
rm -f "\${secret_file}"`,
  });
  return renderBashScript({
    title: args.controlPlane ? "kubeadm-join-control-plane" : "kubeadm-join-worker",
    description: [
      `Joins this node to the cluster${args.controlPlane ? " as a control-plane node" : " as a worker"}; the join material comes on stdin.`,
      `Does nothing when /etc/kubernetes/kubelet.conf exists${args.controlPlane ? ", the etcd manifest exists" : ""} and the node is registered;`,
      "stops, naming the recovery, when kubelet.conf exists but the join did not finish.",
    ],
    constants: [
      ["NODE_NAME", args.nodeName ?? joinNodeName(args.joinConfiguration)],
      ["PLACEHOLDER_TOKEN", JOIN_PLACEHOLDERS.token],
      ["PLACEHOLDER_CA_HASH", JOIN_PLACEHOLDERS.caCertHash],
      ["JOIN_TOKEN", ""],
      ["JOIN_CA_HASH", ""],
      ...(args.controlPlane
        ? ([
            ["PLACEHOLDER_CERTIFICATE_KEY", JOIN_PLACEHOLDERS.certificateKey],
            ["JOIN_CERTIFICATE_KEY", ""],
          ] as const)
        : []),
    ],
    helpers: [WRITE_IF_CHANGED_HELPER],
    steps,
  });
}
