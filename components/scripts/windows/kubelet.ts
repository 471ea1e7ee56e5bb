/**
 * kubelet and kubeadm on a Windows worker, from the Kubernetes node tarball: download, check the
 * checksum, unpack with tar.exe into C:\k, register the kubelet as a Windows service
 * (`--windows-service`; kubeadm join starts it), open TCP 10250.
 *
 * The kubelet's config.yaml comes from the cluster (shared with Linux nodes), so the Windows-only
 * settings are flags on the service: cgroups-per-qos off, no node-allocatable enforcement (Windows
 * has neither cgroups nor eviction) and memory reserved for the system.
 */
import { psQuote } from "../powershell";
import { GET_VERIFIED_ARTIFACT } from "./download";
import { CONTAINERD_ENDPOINT, WINDOWS_PATHS } from "./paths";

export interface KubeletArgs {
  /** Kubernetes version without "v", e.g. 1.34.4. */
  readonly version: string;
  /** The kubernetes-node-windows-amd64 tarball. */
  readonly url: string;
  readonly checksum: string;
  /** Node name (the kubelet's --hostname-override). */
  readonly nodeName: string;
  /** The node's address (--node-ip: HNS adds more adapters later). */
  readonly nodeIp: string;
  /** Memory kept from pods for Windows itself, in MiB. */
  readonly systemReservedMemoryMi: number;
}

/** The kubelet service's command line. */
export function kubeletServiceCommandLine(args: Pick<KubeletArgs, "nodeName" | "nodeIp" | "systemReservedMemoryMi">): string {
  const kubelet = `${WINDOWS_PATHS.kubeDir}\\kubelet.exe`;
  return [
    kubelet,
    "--windows-service",
    `--config=${WINDOWS_PATHS.kubeletConfig}`,
    `--bootstrap-kubeconfig=${WINDOWS_PATHS.bootstrapKubeconfig}`,
    `--kubeconfig=${WINDOWS_PATHS.kubeletKubeconfig}`,
    `--container-runtime-endpoint=${CONTAINERD_ENDPOINT}`,
    `--hostname-override=${args.nodeName}`,
    `--node-ip=${args.nodeIp}`,
    "--cgroups-per-qos=false",
    "--enforce-node-allocatable=",
    `--system-reserved=memory=${args.systemReservedMemoryMi}Mi`,
    "--resolv-conf=",
  ].join(" ");
}

export function renderKubeletBody(args: KubeletArgs): string {
  return `${GET_VERIFIED_ARTIFACT}

$version = ${psQuote(args.version)}
$url = ${psQuote(args.url)}
$checksum = ${psQuote(args.checksum)}
$kubeDir = ${psQuote(WINDOWS_PATHS.kubeDir)}
$kubelet = Join-Path $kubeDir 'kubelet.exe'
$kubeadm = Join-Path $kubeDir 'kubeadm.exe'
$serviceCommand = ${psQuote(kubeletServiceCommandLine(args))}

foreach ($dir in @($kubeDir, ${psQuote(WINDOWS_PATHS.kubeletLogDir)}, ${psQuote(`${WINDOWS_PATHS.kubernetesDir}\\pki`)}, ${psQuote(`${WINDOWS_PATHS.kubeletRootDir}\\etc\\kubernetes`)})) {
  New-Item -ItemType Directory -Force -Path $dir | Out-Null
}
# Paths in the cluster's kubelet config (/etc/kubernetes/pki/...) resolve against the kubelet's root too.
$pkiLink = ${psQuote(`${WINDOWS_PATHS.kubeletRootDir}\\etc\\kubernetes\\pki`)}
if (-not (Test-Path -LiteralPath $pkiLink)) { New-Item -ItemType SymbolicLink -Path $pkiLink -Value ${psQuote(`${WINDOWS_PATHS.kubernetesDir}\\pki`)} | Out-Null }
if ($null -eq (Get-NetFirewallRule -Name 'OpenTwin-kubelet' -ErrorAction SilentlyContinue)) {
  New-NetFirewallRule -Name 'OpenTwin-kubelet' -DisplayName 'kubelet (TCP 10250)' -Direction Inbound -Protocol TCP -LocalPort 10250 -Action Allow | Out-Null
}

$service = Get-CimInstance -ClassName Win32_Service -Filter "Name='kubelet'"
$current = ($null -ne $service) -and ($service.PathName -eq $serviceCommand) -and (Test-Path -LiteralPath $kubelet) -and (Test-Path -LiteralPath $kubeadm)
if ($current) { $current = ((& $kubelet --version) -eq ('Kubernetes v' + $version)) }
if ($current) {
  Write-Output ('kubelet ' + $version + ' is installed: nothing to do')
  exit 0
}

$download = Join-Path $env:TEMP ('kubernetes-node-' + $version + '.tar.gz')
$unpack = Join-Path $env:TEMP ('kubernetes-node-' + $version)
Get-VerifiedArtifact $url $download $checksum
if (Test-Path -LiteralPath $unpack) { Remove-Item -LiteralPath $unpack -Recurse -Force }
New-Item -ItemType Directory -Force -Path $unpack | Out-Null
tar.exe -xzf $download -C $unpack
if ($LASTEXITCODE -ne 0) { throw ('tar.exe could not unpack ' + $download) }

if (($null -ne $service) -and ($service.State -ne 'Stopped')) { Stop-Service -Name kubelet -Force }
Copy-Item -Path (Join-Path $unpack 'kubernetes\\node\\bin\\*.exe') -Destination $kubeDir -Force
Add-MachinePath $kubeDir
if ($null -eq $service) {
  New-Service -Name kubelet -BinaryPathName $serviceCommand -DisplayName 'Kubernetes kubelet' -StartupType Automatic -DependsOn containerd | Out-Null
} else {
  Set-ItemProperty -Path 'HKLM:\\SYSTEM\\CurrentControlSet\\Services\\kubelet' -Name ImagePath -Value $serviceCommand
  Set-Service -Name kubelet -StartupType Automatic
}
sc.exe failure kubelet reset= 0 actions= restart/10000 | Out-Null
if ($LASTEXITCODE -ne 0) { throw 'sc.exe could not set the kubelet restart policy' }
# A node that had joined before gets its kubelet back; a new node waits for kubeadm join to start it.
if (Test-Path -LiteralPath ${psQuote(WINDOWS_PATHS.kubeletKubeconfig)}) { Start-Service -Name kubelet }
Remove-Item -LiteralPath $unpack -Recurse -Force
Remove-Item -LiteralPath $download -Force
Write-Output ('kubelet ' + $version + ' installed')
`;
}
