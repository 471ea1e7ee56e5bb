$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Set-StrictMode -Version 3.0
trap {
  [Console]::Error.WriteLine('step ''containerd on otwin1'' failed: ' + $_.Exception.Message)
  exit 1
}
# The restart for the Containers feature has happened (see components/scripts/windows/prepare.ts).
if ((Get-WindowsFeature -Name Containers).InstallState -ne 'Installed') {
  throw 'the Containers feature is not installed yet (its restart is pending): run pulumi up again once the VM has restarted'
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

$version = '2.1.4'
$url = 'https://github.com/containerd/containerd/releases/download/v2.1.4/containerd-2.1.4-windows-amd64.tar.gz'
$checksum = 'sha256:2c50aeb1e6d9ad513e986408ea066919318f14271c5a1b952f118878ecfa6a56'
$configText = 'version = 3

[plugins.''io.containerd.cri.v1.images''.pinned_images]
  sandbox = "registry.k8s.io/pause:3.10.1"

[plugins.''io.containerd.cri.v1.runtime''.cni]
  bin_dirs = ["C:\\opt\\cni\\bin"]
  conf_dir = "C:\\etc\\cni\\net.d"
'
$installDir = Join-Path $env:ProgramFiles 'containerd'
$containerd = Join-Path $installDir 'containerd.exe'
$configPath = Join-Path $installDir 'config.toml'
$utf8 = New-Object System.Text.UTF8Encoding $false

foreach ($dir in @('C:\opt\cni\bin', 'C:\etc\cni\net.d')) { New-Item -ItemType Directory -Force -Path $dir | Out-Null }

$service = Get-Service -Name containerd -ErrorAction SilentlyContinue
$current = ($null -ne $service) -and (Test-Path -LiteralPath $containerd) -and (Test-Path -LiteralPath $configPath)
if ($current) { $current = ((& $containerd --version) -like ('* v' + $version + ' *')) -and ([IO.File]::ReadAllText($configPath) -eq $configText) }
if ($current) {
  if ($service.Status -ne 'Running') { Start-Service -Name containerd }
  Write-Output ('containerd ' + $version + ' is installed: nothing to do')
  exit 0
}

$download = Join-Path $env:TEMP ('containerd-' + $version + '.tar.gz')
$unpack = Join-Path $env:TEMP ('containerd-' + $version)
Get-VerifiedArtifact $url $download $checksum
if (Test-Path -LiteralPath $unpack) { Remove-Item -LiteralPath $unpack -Recurse -Force }
New-Item -ItemType Directory -Force -Path $unpack | Out-Null
tar.exe -xzf $download -C $unpack
if ($LASTEXITCODE -ne 0) { throw ('tar.exe could not unpack ' + $download) }

if (($null -ne $service) -and ($service.Status -ne 'Stopped')) { Stop-Service -Name containerd -Force }
New-Item -ItemType Directory -Force -Path $installDir | Out-Null
Copy-Item -Path (Join-Path $unpack 'bin\*') -Destination $installDir -Force
[IO.File]::WriteAllText($configPath, $configText, $utf8)
Add-MachinePath $installDir
if ($null -eq $service) {
  & $containerd --register-service --config $configPath
  if ($LASTEXITCODE -ne 0) { throw 'containerd --register-service failed' }
}
Set-Service -Name containerd -StartupType Automatic
Start-Service -Name containerd
Remove-Item -LiteralPath $unpack -Recurse -Force
Remove-Item -LiteralPath $download -Force
Write-Output ('containerd ' + $version + ' installed')
exit 0
