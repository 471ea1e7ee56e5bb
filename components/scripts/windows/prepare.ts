/**
 * Prepare step on a Windows worker: enable the Containers feature, and the check that the restart it
 * may need has happened.
 *
 * The restart, and why the next steps cannot run during it:
 *  1. prepare (guest, over SSH): when Windows needs a restart to finish the feature, schedule one 10 s
 *     ahead (so this SSH session ends cleanly first) and print `RESTART_SCHEDULED at <t>`, where <t>
 *     is the guest's clock in Unix seconds when it scheduled the restart. sshd keeps answering for a
 *     while after that, so "TCP 22 is open" alone says nothing about the restart.
 *  2. restart (Hyper-V host): waits, bounded, for TCP 22 to close (two probes in a row), then for it
 *     to answer again (renderRebootWaitBody). A best effort only: the host cannot see the guest's boot.
 *  3. containerd (guest, over SSH) starts with renderRestartedCheck(<t>): the guest's last boot must be
 *     later than <t>, and the feature must be Installed; otherwise it stops with a message saying so,
 *     before touching anything. A restart always boots after <t> (10 s later at the earliest), and the
 *     boot that ran prepare is earlier than <t>, so the check holds exactly when the restart happened.
 *
 * Re-runs: a Pulumi step that succeeded is not run again; a failed one is. prepare finds the feature
 * Installed (nothing to do, no marker: the later steps neither wait for the port to close nor check
 * the boot) or still pending (schedules the restart again, with a new <t>). The host's wait for the
 * port to close is bounded, so a re-run of the restart step after the guest already restarted goes on
 * after at most REBOOT_DOWN_MINUTES; the containerd check then passes because the boot is newer.
 * Nothing here restarts the guest twice for one pending feature.
 */
import { psInt } from "../powershell";

/** What the prepare step prints when it scheduled a restart (followed by ` at <Unix seconds>`). */
export const RESTART_SCHEDULED = "opentwin: restart scheduled";

/** A restart the prepare step scheduled, read from its output. */
export interface ScheduledRestart {
  /** The guest's clock, in Unix seconds, when it scheduled the restart; undefined when the output did not say. */
  readonly at: number | undefined;
}

/** The restart the prepare step's output reports, or undefined when it scheduled none. */
export function scheduledRestartOf(prepareOutput: string): ScheduledRestart | undefined {
  if (!prepareOutput.includes(RESTART_SCHEDULED)) return undefined;
  const at = new RegExp(`${RESTART_SCHEDULED} at (\\d{1,12})\\b`).exec(prepareOutput)?.[1];
  return { at: at === undefined ? undefined : Number(at) };
}

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
# The feature completes during a restart. The time is taken before scheduling it: the boot after the
# restart is later, the boot that runs this script earlier (the containerd step checks it).
$scheduledAt = [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()
# 1190: a shutdown is already scheduled (a re-run); it happens after this point all the same.
shutdown.exe /r /t 10 /d p:4:2 /c 'OpenTwin: restart to complete the Containers feature'
if (($LASTEXITCODE -ne 0) -and ($LASTEXITCODE -ne 1190)) { throw ('shutdown.exe failed with exit code ' + $LASTEXITCODE) }
Write-Output ('${RESTART_SCHEDULED} at ' + $scheduledAt)
`;
}

/**
 * The first lines of the step after the restart (run in the guest): stop, before any work, unless
 * the guest booted after the prepare step scheduled its restart (`restart.at`) and the Containers
 * feature is Installed. Without a scheduled restart only the feature is checked.
 */
export function renderRestartedCheck(restart: ScheduledRestart | undefined): string {
  const boot =
    restart?.at === undefined
      ? ""
      : `$restartScheduledAt = ${psInt(restart.at)}
$lastBoot = ([DateTimeOffset](Get-CimInstance -ClassName Win32_OperatingSystem).LastBootUpTime).ToUnixTimeSeconds()
if ($lastBoot -le $restartScheduledAt) {
  throw ('the VM has not restarted since the prepare step scheduled its restart (last boot ' + $lastBoot + ', restart scheduled at ' + $restartScheduledAt + ', Unix seconds): it is still shutting down or the restart was cancelled; run pulumi up again once the VM has restarted')
}
`;
  return `# The restart for the Containers feature has happened (see components/scripts/windows/prepare.ts).
${boot}if ((Get-WindowsFeature -Name Containers).InstallState -ne 'Installed') {
  throw 'the Containers feature is not installed yet (its restart is pending): run pulumi up again once the VM has restarted'
}
`;
}
