#!/usr/bin/env bash
# opentwin kubeadm-join-control-plane
# Joins this node to the cluster as a control-plane node; the join material comes on stdin.
# Does nothing when /etc/kubernetes/kubelet.conf exists, the etcd manifest exists and the node is registered;
# stops, naming the recovery, when kubelet.conf exists but the join did not finish.
# Rendered by the OpenTwin Pulumi program; secrets never appear here (they arrive on stdin).
# Every path is under OPENTWIN_ROOT (default: the real root), so the script can run in a throwaway tree.
set -Eeuo pipefail
umask 022

ROOT="${OPENTWIN_ROOT:-}"
SCRIPT_NAME='kubeadm-join-control-plane'
CURRENT_STEP='start'
# CHANGED: set by write_if_changed/install_binary for the step that called them.
# shellcheck disable=SC2034
CHANGED=0
TMP_FILES=()
NODE_NAME='otcp2'
PLACEHOLDER_TOKEN='000000.0000000000000000'
PLACEHOLDER_CA_HASH='sha256:0000000000000000000000000000000000000000000000000000000000000000'
JOIN_TOKEN=''
JOIN_CA_HASH=''
PLACEHOLDER_CERTIFICATE_KEY='ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff'
JOIN_CERTIFICATE_KEY=''

on_exit() {
  local status=$?
  if [ "${#TMP_FILES[@]}" -gt 0 ]; then
    rm -f -- "${TMP_FILES[@]}"
  fi
  if [ "${status}" -ne 0 ]; then
    echo "${SCRIPT_NAME}: step '${CURRENT_STEP}' failed (exit ${status})" >&2
  fi
  exit "${status}"
}
trap on_exit EXIT

run_step() {
  CURRENT_STEP="$1"
  echo "${SCRIPT_NAME}: ${CURRENT_STEP}" >&2
  "$1"
}

# Stops the script with a message; the exit trap adds the step's name.
fail() {
  echo "$*" >&2
  exit 1
}

# write_if_changed PATH MODE < content: writes only when the content differs.
# Sets CHANGED=1 when the file was written, CHANGED=0 when it already had this content.
write_if_changed() {
  local path="$1" mode="$2" staged
  staged="$(mktemp)"
  TMP_FILES+=("${staged}")
  cat > "${staged}"
  # shellcheck disable=SC2034
  CHANGED=0
  if [ -f "${path}" ] && cmp -s "${staged}" "${path}"; then
    return 0
  fi
  mkdir -p "$(dirname "${path}")"
  install -m "${mode}" "${staged}" "${path}"
  # shellcheck disable=SC2034
  CHANGED=1
}

read_join_material() {
  # stdin: a 'kubeadm join <endpoint> --token T --discovery-token-ca-cert-hash H' line and a line with the certificate key.
  local line words i
  while IFS= read -r line || [ -n "${line}" ]; do
    if [[ "${line}" == "kubeadm join "* ]]; then
      read -r -a words <<< "${line}"
      for ((i = 0; i < ${#words[@]} - 1; i++)); do
        case "${words[i]}" in
          --token) JOIN_TOKEN="${words[i + 1]}" ;;
          --discovery-token-ca-cert-hash) JOIN_CA_HASH="${words[i + 1]}" ;;
        esac
      done
    elif [[ "${line}" =~ ^[0-9a-f]{64}$ ]]; then
      JOIN_CERTIFICATE_KEY="${line}"
    fi
  done
  if [ -f "${ROOT}/etc/kubernetes/kubelet.conf" ]; then
    return 0
  fi
  [[ "${JOIN_TOKEN}" =~ ^[a-z0-9]{6}\.[a-z0-9]{16}$ ]] || fail "stdin holds no valid bootstrap token"
  [[ "${JOIN_CA_HASH}" =~ ^sha256:[0-9a-f]{64}$ ]] || fail "stdin holds no valid CA certificate hash"
  [[ "${JOIN_CERTIFICATE_KEY}" =~ ^[0-9a-f]{64}$ ]] || fail "stdin holds no valid certificate key"
}

write_join_template() {
  write_if_changed "${ROOT}/etc/opentwin/kubeadm-join.yaml" 0644 <<'OPENTWIN_EOF'
apiVersion: kubeadm.k8s.io/v1beta4
kind: JoinConfiguration
discovery:
  bootstrapToken:
    apiServerEndpoint: 10.20.0.10:6443
    token: "000000.0000000000000000"
    caCertHashes:
      - sha256:0000000000000000000000000000000000000000000000000000000000000000
nodeRegistration:
  name: otcp2
  criSocket: unix:///run/containerd/containerd.sock
  kubeletExtraArgs:
    - name: node-ip
      value: 10.20.0.12
  ignorePreflightErrors:
    - DirAvailable--etc-kubernetes-manifests
controlPlane:
  localAPIEndpoint:
    advertiseAddress: 10.20.0.12
    bindPort: 6443
  certificateKey: ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff
OPENTWIN_EOF
}

place_kube_vip() {
  write_if_changed "${ROOT}/etc/kubernetes/manifests/kube-vip.yaml" 0600 <<'OPENTWIN_EOF'
apiVersion: v1
kind: Pod
metadata:
  name: kube-vip
  namespace: kube-system
spec:
  containers:
    - name: kube-vip
      image: ghcr.io/kube-vip/kube-vip:v0.9.2
      imagePullPolicy: IfNotPresent
      args:
        - manager
      env:
        - name: vip_arp
          value: "true"
        - name: port
          value: "6443"
        - name: vip_subnet
          value: "32"
        - name: dns_mode
          value: first
        - name: cp_enable
          value: "true"
        - name: cp_namespace
          value: kube-system
        - name: svc_enable
          value: "false"
        - name: vip_leaderelection
          value: "true"
        - name: vip_leasename
          value: plndr-cp-lock
        - name: vip_leaseduration
          value: "5"
        - name: vip_renewdeadline
          value: "3"
        - name: vip_retryperiod
          value: "1"
        - name: address
          value: 10.20.0.10
      securityContext:
        capabilities:
          add:
            - NET_ADMIN
            - NET_RAW
      volumeMounts:
        - name: kubeconfig
          mountPath: /etc/kubernetes/admin.conf
  hostAliases:
    - ip: 127.0.0.1
      hostnames:
        - kubernetes
  hostNetwork: true
  volumes:
    - name: kubeconfig
      hostPath:
        path: /etc/kubernetes/admin.conf
OPENTWIN_EOF
}

kubeadm_join() {
  if [ -f "${ROOT}/etc/kubernetes/kubelet.conf" ]; then
    if [ ! -f "${ROOT}/etc/kubernetes/manifests/etcd.yaml" ]; then
      fail "/etc/kubernetes/kubelet.conf exists but /etc/kubernetes/manifests/etcd.yaml does not: an earlier control-plane join stopped before this node's etcd member was added (log: /var/log/opentwin/kubeadm-join.log on the node). To recover: run 'kubeadm reset -f' on this node, then 'pulumi up' again"
    fi
    local tries=0
    until kubectl --kubeconfig "${ROOT}/etc/kubernetes/kubelet.conf" get node "${NODE_NAME}" > /dev/null 2>&1; do
      tries=$((tries + 1))
      if [ "${tries}" -ge 24 ]; then
        fail "/etc/kubernetes/kubelet.conf exists but node ${NODE_NAME} is not registered (kubectl get node with the kubelet's kubeconfig, 2 minutes): an earlier join stopped part-way, or the API is down. To recover: run 'kubeadm reset -f' on this node, then 'pulumi up' again"
      fi
      sleep 5
    done
    echo "already joined (/etc/kubernetes/kubelet.conf exists, /etc/kubernetes/manifests/etcd.yaml exists, node ${NODE_NAME} is registered)" >&2
    return 0
  fi
  local config secret_file
  config="$(cat "${ROOT}/etc/opentwin/kubeadm-join.yaml")"
  config="${config//"${PLACEHOLDER_CA_HASH}"/${JOIN_CA_HASH}}"
  config="${config//"${PLACEHOLDER_TOKEN}"/${JOIN_TOKEN}}"
  config="${config//"${PLACEHOLDER_CERTIFICATE_KEY}"/${JOIN_CERTIFICATE_KEY}}"
  secret_file="$(umask 077 && mktemp)"
  TMP_FILES+=("${secret_file}")
  printf '%s\n' "${config}" > "${secret_file}"
  mkdir -p "${ROOT}/var/log/opentwin"
  chmod 0700 "${ROOT}/var/log/opentwin"
  if ! kubeadm join --config "${secret_file}" > "${ROOT}/var/log/opentwin/kubeadm-join.log" 2>&1; then
    tail -n 40 "${ROOT}/var/log/opentwin/kubeadm-join.log" >&2
    fail "kubeadm failed; the whole log is /var/log/opentwin/kubeadm-join.log on the node"
  fi
  rm -f "${secret_file}"
}

main() {
  run_step read_join_material
  run_step write_join_template
  run_step place_kube_vip
  run_step kubeadm_join
  CURRENT_STEP='done'
}

main "$@"
