$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Set-StrictMode -Version 3.0
trap {
  [Console]::Error.WriteLine('step ''join otwin1'' failed: ' + $_.Exception.Message)
  exit 1
}
$Stdin = [Console]::In.ReadToEnd() | ConvertFrom-Json
$kubeadm = Join-Path 'C:\k' 'kubeadm.exe'
if (Test-Path -LiteralPath 'C:\etc\kubernetes\kubelet.conf') {
  Write-Output 'The node has joined already: nothing to do'
  exit 0
}
$joinCommand = [string]$Stdin.secrets.joinCommand
$token = [regex]::Match($joinCommand, '--token\s+([a-z0-9]{6}\.[a-z0-9]{16})(\s|$)').Groups[1].Value
$caCertHash = [regex]::Match($joinCommand, '--discovery-token-ca-cert-hash\s+(sha256:[0-9a-f]{64})(\s|$)').Groups[1].Value
if (($token -eq '') -or ($caCertHash -eq '')) { throw 'the join command from the control plane holds no valid token or CA certificate hash' }
$configText = 'apiVersion: kubeadm.k8s.io/v1beta4
kind: JoinConfiguration
discovery:
  bootstrapToken:
    apiServerEndpoint: 10.20.0.10:6443
    token: "@TOKEN@"
    caCertHashes:
      - "@CA_CERT_HASH@"
nodeRegistration:
  name: otwin1
  criSocket: npipe://./pipe/containerd-containerd
  taints:
    - key: os
      value: windows
      effect: NoSchedule
'
$configText = $configText.Replace('@TOKEN@', $token).Replace('@CA_CERT_HASH@', $caCertHash)
$configPath = Join-Path $env:TEMP 'opentwin-join.yaml'
try {
  [IO.File]::WriteAllText($configPath, $configText, (New-Object System.Text.UTF8Encoding $false))
  & $kubeadm join --config $configPath
  if ($LASTEXITCODE -ne 0) { throw ('kubeadm join failed with exit code ' + $LASTEXITCODE) }
} finally {
  Remove-Item -LiteralPath $configPath -Force -ErrorAction SilentlyContinue
}
Write-Output ('joined as ' + 'otwin1')
exit 0
