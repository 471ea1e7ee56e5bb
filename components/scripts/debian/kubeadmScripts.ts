/**
 * kubeadm init on the first control-plane node, control-plane join (nodes 2 and 3) and worker join.
 * Guards: /etc/kubernetes/admin.conf (init) and /etc/kubernetes/kubelet.conf (joins). Join secrets
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

/** kubeadm init (guarded by admin.conf); kube-vip switched to admin.conf once init is done. */
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
  echo "already initialised (${ADMIN_CONF} exists)" >&2
  return 0
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
      "Does nothing when /etc/kubernetes/admin.conf exists.",
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

/** kubeadm join (guarded by kubelet.conf), with the secrets put into a 0600 copy of the template. */
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
  echo "already joined (${KUBELET_CONF} exists)" >&2
  return 0
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
      "Does nothing when /etc/kubernetes/kubelet.conf exists.",
    ],
    constants: [
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
