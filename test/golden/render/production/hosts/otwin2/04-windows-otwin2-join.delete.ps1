$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Set-StrictMode -Version 3.0
trap {
  [Console]::Error.WriteLine('step ''reset otwin2'' failed: ' + $_.Exception.Message)
  exit 1
}
$kubeadm = Join-Path 'C:\k' 'kubeadm.exe'
if ((Test-Path -LiteralPath $kubeadm) -and (Test-Path -LiteralPath 'C:\etc\kubernetes\kubelet.conf')) {
  & $kubeadm reset -f --cri-socket 'npipe://./pipe/containerd-containerd'
  if ($LASTEXITCODE -ne 0) { throw ('kubeadm reset failed with exit code ' + $LASTEXITCODE) }
}
$kubelet = Get-Service -Name kubelet -ErrorAction SilentlyContinue
if (($null -ne $kubelet) -and ($kubelet.Status -ne 'Stopped')) { Stop-Service -Name kubelet -Force }
if ($null -ne (Get-Command -Name Get-HnsNetwork -ErrorAction SilentlyContinue)) {
  Get-HnsNetwork | Where-Object { ($_.Type -eq 'Overlay') -or ($_.Name -like 'flannel*') } | Remove-HnsNetwork
} else {
  Write-Warning 'Get-HnsNetwork is not available: stale HNS networks were not removed'
}
Write-Output 'node reset'
exit 0
