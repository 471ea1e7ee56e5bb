/** Where things live on a Windows worker (the layout sig-windows-tools and kubeadm expect). */
export const WINDOWS_PATHS = {
  /** kubelet.exe, kubeadm.exe, kubectl.exe, kube-proxy.exe. */
  kubeDir: "C:\\k",
  cniBinDir: "C:\\opt\\cni\\bin",
  cniConfDir: "C:\\etc\\cni\\net.d",
  kubeletRootDir: "C:\\var\\lib\\kubelet",
  kubeletConfig: "C:\\var\\lib\\kubelet\\config.yaml",
  kubeletLogDir: "C:\\var\\log\\kubelet",
  kubernetesDir: "C:\\etc\\kubernetes",
  /** Written by kubeadm join: its presence means the node has joined. */
  kubeletKubeconfig: "C:\\etc\\kubernetes\\kubelet.conf",
  bootstrapKubeconfig: "C:\\etc\\kubernetes\\bootstrap-kubelet.conf",
} as const;

/** containerd's CRI endpoint on Windows. */
export const CONTAINERD_ENDPOINT = "npipe://./pipe/containerd-containerd";
