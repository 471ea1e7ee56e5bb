/**
 * Prepare step on a Windows worker: enable the Containers feature. When Windows needs a restart to
 * finish it, the script schedules one 10 s ahead (so this SSH session ends cleanly first), prints
 * RESTART_SCHEDULED and exits 0; the following step (run from the Hyper-V host) waits for the guest
 * to go down and come back. A re-run finds the feature Installed (nothing to do) or still pending
 * (schedules the restart again), so `pulumi up` after any interruption continues where it stopped.
 */

/** What the prepare step prints when it scheduled a restart. */
export const RESTART_SCHEDULED = "opentwin: restart scheduled";

export function renderPrepareBody(): string {
  return `$feature = Get-WindowsFeature -Name Containers
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
# The feature completes during a restart. 1190: a shutdown is already scheduled (a re-run).
shutdown.exe /r /t 10 /d p:4:2 /c 'OpenTwin: restart to complete the Containers feature'
if (($LASTEXITCODE -ne 0) -and ($LASTEXITCODE -ne 1190)) { throw ('shutdown.exe failed with exit code ' + $LASTEXITCODE) }
Write-Output '${RESTART_SCHEDULED}'
`;
}
