$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Set-StrictMode -Version 3.0
trap {
  [Console]::Error.WriteLine('step ''kubelet on otwin1'' failed: ' + $_.Exception.Message)
  exit 1
}
function Get-VerifiedArtifact([string]$url, [string]$path, [string]$checksum) {
  $algorithm, $expected = $checksum -split ':', 2
  $fresh = $false
  if (-not (Test-Path -LiteralPath $path)) {
    [Net.ServicePointManager]::SecurityProtocol = [Net.SecurityProtocolType]::Tls12
    Invoke-WebRequest -UseBasicParsing -Uri $url -OutFile $path
    $fresh = $true
  }
  $actual = (Get-FileHash -LiteralPath $path -Algorithm $algorithm).Hash.ToLowerInvariant()
  if ($actual -ne $expected) {
    Remove-Item -LiteralPath $path -Force
    if ($fresh) { throw ('checksum mismatch for ' + $url + ': expected ' + $checksum + ', got ' + $algorithm + ':' + $actual) }
    Get-VerifiedArtifact $url $path $checksum
  }
}

function Add-MachinePath([string]$dir) {
  $current = [Environment]::GetEnvironmentVariable('Path', 'Machine')
  if (($current -split ';') -notcontains $dir) { [Environment]::SetEnvironmentVariable('Path', $current + ';' + $dir, 'Machine') }
  if (($env:Path -split ';') -notcontains $dir) { $env:Path = $env:Path + ';' + $dir }
}

$version = '1.34.4'
$url = 'https://dl.k8s.io/v1.34.4/kubernetes-node-windows-amd64.tar.gz'
$checksum = 'sha512:9acbdb187c6e56872bb72372eea5a63ff17b7f485526e2907cae5a97d755d7a534ebb0f2fb893c00a343189e8f9ece184b36d30f03f0d89dc58a7c4355634d85'
$kubeDir = 'C:\k'
$kubelet = Join-Path $kubeDir 'kubelet.exe'
$kubeadm = Join-Path $kubeDir 'kubeadm.exe'
$serviceCommand = 'C:\k\kubelet.exe --windows-service --config=C:\var\lib\kubelet\config.yaml --bootstrap-kubeconfig=C:\etc\kubernetes\bootstrap-kubelet.conf --kubeconfig=C:\etc\kubernetes\kubelet.conf --container-runtime-endpoint=npipe://./pipe/containerd-containerd --hostname-override=otwin1 --node-ip=192.168.50.21 --cgroups-per-qos=false --enforce-node-allocatable= --system-reserved=memory=2048Mi --resolv-conf='

foreach ($dir in @($kubeDir, 'C:\var\log\kubelet', 'C:\etc\kubernetes\pki', 'C:\var\lib\kubelet\etc\kubernetes')) {
  New-Item -ItemType Directory -Force -Path $dir | Out-Null
}
# Paths in the cluster's kubelet config (/etc/kubernetes/pki/...) resolve against the kubelet's root too.
$pkiLink = 'C:\var\lib\kubelet\etc\kubernetes\pki'
if (-not (Test-Path -LiteralPath $pkiLink)) { New-Item -ItemType SymbolicLink -Path $pkiLink -Value 'C:\etc\kubernetes\pki' | Out-Null }
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
Copy-Item -Path (Join-Path $unpack 'kubernetes\node\bin\*.exe') -Destination $kubeDir -Force
Add-MachinePath $kubeDir
if ($null -eq $service) {
  New-Service -Name kubelet -BinaryPathName $serviceCommand -DisplayName 'Kubernetes kubelet' -StartupType Automatic -DependsOn containerd | Out-Null
} else {
  Set-ItemProperty -Path 'HKLM:\SYSTEM\CurrentControlSet\Services\kubelet' -Name ImagePath -Value $serviceCommand
  Set-Service -Name kubelet -StartupType Automatic
}
sc.exe failure kubelet reset= 0 actions= restart/10000 | Out-Null
if ($LASTEXITCODE -ne 0) { throw 'sc.exe could not set the kubelet restart policy' }
# A node that had joined before gets its kubelet back; a new node waits for kubeadm join to start it.
if (Test-Path -LiteralPath 'C:\etc\kubernetes\kubelet.conf') { Start-Service -Name kubelet }
Remove-Item -LiteralPath $unpack -Recurse -Force
Remove-Item -LiteralPath $download -Force
Write-Output ('kubelet ' + $version + ' installed')
exit 0
