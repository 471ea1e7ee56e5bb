$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Set-StrictMode -Version 3.0
trap {
  [Console]::Error.WriteLine('step ''prepare otwin1'' failed: ' + $_.Exception.Message)
  exit 1
}
$feature = Get-WindowsFeature -Name Containers
if ($feature.InstallState -eq 'Installed') {
  Write-Output 'The Containers feature is installed: nothing to do'
  exit 0
}
if ($feature.InstallState -ne 'InstallPending') {
  $result = Install-WindowsFeature -Name Containers
  if (-not $result.Success) { throw 'Install-WindowsFeature Containers did not succeed' }
  if ([string]$result.RestartNeeded -ne 'Yes') {
    Write-Output 'The Containers feature is installed'
    exit 0
  }
}
# The feature completes during a restart. The time is taken before scheduling it: the boot after the
# restart is later, the boot that runs this script earlier (the containerd step checks it).
$scheduledAt = [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()
# 1190: a shutdown is already scheduled (a re-run); it happens after this point all the same.
shutdown.exe /r /t 10 /d p:4:2 /c 'OpenTwin: restart to complete the Containers feature'
if (($LASTEXITCODE -ne 0) -and ($LASTEXITCODE -ne 1190)) { throw ('shutdown.exe failed with exit code ' + $LASTEXITCODE) }
Write-Output ('opentwin: restart scheduled at ' + $scheduledAt)
exit 0
