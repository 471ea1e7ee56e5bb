#!/usr/bin/env bash
# opentwin kubeadm-init
# Initialises the cluster on the first control-plane node with the kubeadm config below.
# Does nothing when the cluster is complete (admin.conf, the API answers /readyz, the objects of the late init phases exist);
# runs the late init phases again when admin.conf exists and the API answers but some of those objects are missing;
# stops, naming the recovery, when admin.conf exists and the API does not answer.
# Rendered by the OpenTwin Pulumi program; secrets never appear here (they arrive on stdin).
# Every path is under OPENTWIN_ROOT (default: the real root), so the script can run in a throwaway tree.
set -Eeuo pipefail
umask 022

ROOT="${OPENTWIN_ROOT:-}"
SCRIPT_NAME='kubeadm-init'
CURRENT_STEP='start'
# CHANGED: set by write_if_changed/install_binary for the step that called them.
# shellcheck disable=SC2034
CHANGED=0
TMP_FILES=()

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

write_kubeadm_config() {
  write_if_changed "${ROOT}/etc/opentwin/kubeadm-init.yaml" 0644 <<'OPENTWIN_EOF'
apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
localAPIEndpoint:
  advertiseAddress: 10.20.0.11
  bindPort: 6443
nodeRegistration:
  name: otcp1
  criSocket: unix:///run/containerd/containerd.sock
  kubeletExtraArgs:
    - name: node-ip
      value: 10.20.0.11
---
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
kubernetesVersion: v1.34.4
controlPlaneEndpoint: 10.20.0.10:6443
networking:
  podSubnet: 10.244.0.0/16
  serviceSubnet: 10.96.0.0/12
  dnsDomain: cluster.local
apiServer:
  certSANs:
    - 10.20.0.10
    - 10.20.0.11
    - otcp1
    - 10.20.0.12
    - otcp2
    - 10.20.0.13
    - otcp3
---
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: systemd
OPENTWIN_EOF
}

place_kube_vip_for_init() {
  # kubeadm >= 1.29 grants admin.conf its rights only at the end of init: kube-vip needs super-admin.conf until then.
  if [ -f "${ROOT}/etc/kubernetes/admin.conf" ]; then
    return 0
  fi
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
        path: /etc/kubernetes/super-admin.conf
OPENTWIN_EOF
}

kubeadm_init() {
  if [ -f "${ROOT}/etc/kubernetes/admin.conf" ]; then
    # admin.conf is written before kubeadm waits for the control plane: alone it does not prove init finished.
    local tries=0 missing=()
    until kubectl --kubeconfig "${ROOT}/etc/kubernetes/admin.conf" get --raw /readyz > /dev/null 2>&1; do
      tries=$((tries + 1))
      if [ "${tries}" -ge 24 ]; then
        fail "/etc/kubernetes/admin.conf exists but the API server did not answer /readyz within 2 minutes: an earlier kubeadm init stopped before the control plane came up (log: /var/log/opentwin/kubeadm-init.log on the node). To recover: run 'kubeadm reset -f' on this node, then 'pulumi up' again"
      fi
      sleep 5
    done
    kubectl --kubeconfig "${ROOT}/etc/kubernetes/admin.conf" get -n kube-system configmap kubeadm-config > /dev/null 2>&1 || missing+=("ConfigMap kube-system/kubeadm-config (phase upload-config)")
    kubectl --kubeconfig "${ROOT}/etc/kubernetes/admin.conf" get -n kube-system configmap kubelet-config > /dev/null 2>&1 || missing+=("ConfigMap kube-system/kubelet-config (phase upload-config)")
    kubectl --kubeconfig "${ROOT}/etc/kubernetes/admin.conf" get -n kube-public configmap cluster-info > /dev/null 2>&1 || missing+=("ConfigMap kube-public/cluster-info (phase bootstrap-token)")
    kubectl --kubeconfig "${ROOT}/etc/kubernetes/admin.conf" get -n kube-system deployment coredns > /dev/null 2>&1 || missing+=("Deployment kube-system/coredns (phase addon)")
    kubectl --kubeconfig "${ROOT}/etc/kubernetes/admin.conf" get -n kube-system configmap kube-proxy > /dev/null 2>&1 || missing+=("ConfigMap kube-system/kube-proxy (phase addon)")
    kubectl --kubeconfig "${ROOT}/etc/kubernetes/admin.conf" get -n kube-system daemonset kube-proxy > /dev/null 2>&1 || missing+=("DaemonSet kube-system/kube-proxy (phase addon)")
    if [ "${#missing[@]}" -eq 0 ]; then
      echo "already initialised (/etc/kubernetes/admin.conf exists, the API answers, the late init phases' objects exist)" >&2
      return 0
    fi
    echo "an earlier kubeadm init stopped part-way; missing: ${missing[*]}; running the late init phases again" >&2
    mkdir -p "${ROOT}/var/log/opentwin"
    chmod 0700 "${ROOT}/var/log/opentwin"
    if ! { kubeadm init phase upload-config all --config "${ROOT}/etc/opentwin/kubeadm-init.yaml" && kubeadm init phase upload-certs --upload-certs --config "${ROOT}/etc/opentwin/kubeadm-init.yaml" --skip-certificate-key-print && kubeadm init phase mark-control-plane --config "${ROOT}/etc/opentwin/kubeadm-init.yaml" && kubeadm init phase bootstrap-token --config "${ROOT}/etc/opentwin/kubeadm-init.yaml" --skip-token-print && kubeadm init phase kubelet-finalize all --config "${ROOT}/etc/opentwin/kubeadm-init.yaml" && kubeadm init phase addon all --config "${ROOT}/etc/opentwin/kubeadm-init.yaml"; } > "${ROOT}/var/log/opentwin/kubeadm-init-phases.log" 2>&1; then
      tail -n 40 "${ROOT}/var/log/opentwin/kubeadm-init-phases.log" >&2
      fail "kubeadm failed; the whole log is /var/log/opentwin/kubeadm-init-phases.log on the node"
    fi
    return 0
  fi
  # The skip flags keep the bootstrap token and certificate key out of the output.
  mkdir -p "${ROOT}/var/log/opentwin"
  chmod 0700 "${ROOT}/var/log/opentwin"
  if ! kubeadm init --config "${ROOT}/etc/opentwin/kubeadm-init.yaml" --upload-certs --skip-token-print --skip-certificate-key-print > "${ROOT}/var/log/opentwin/kubeadm-init.log" 2>&1; then
    tail -n 40 "${ROOT}/var/log/opentwin/kubeadm-init.log" >&2
    fail "kubeadm failed; the whole log is /var/log/opentwin/kubeadm-init.log on the node"
  fi
}

switch_kube_vip_to_admin_conf() {
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

main() {
  run_step write_kubeadm_config
  run_step place_kube_vip_for_init
  run_step kubeadm_init
  run_step switch_kube_vip_to_admin_conf
  CURRENT_STEP='done'
}

main "$@"
