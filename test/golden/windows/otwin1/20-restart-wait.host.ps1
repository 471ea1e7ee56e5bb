$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Set-StrictMode -Version 3.0
trap {
  [Console]::Error.WriteLine('step ''restart of otwin1'' failed: ' + $_.Exception.Message)
  exit 1
}
function Test-Port([string]$address, [int]$port) {
  $client = New-Object System.Net.Sockets.TcpClient
  try { return ($client.ConnectAsync($address, $port).Wait(3000) -and $client.Connected) } catch { return $false } finally { $client.Dispose() }
}
$address = '192.168.50.21'
# The restart takes the port down first; two closed probes in a row, so one slow answer is not taken for it.
$downBy = (Get-Date).AddMinutes(5)
$closed = 0
while (($closed -lt 2) -and ((Get-Date) -lt $downBy)) {
  if (Test-Port $address 22) { $closed = 0 } else { $closed++ }
  if ($closed -lt 2) { Start-Sleep -Seconds 2 }
}
if ($closed -lt 2) { Write-Output "TCP 22 on $address did not close within 5 minutes (the restart happened before this step, or has not begun): the next step checks the guest's boot" }
$deadline = (Get-Date).AddMinutes(45)
while ((Get-Date) -lt $deadline) {
  if (Test-Port $address 22) { Start-Sleep -Seconds 10; Write-Output "$address answers on TCP 22"; exit 0 }
  Start-Sleep -Seconds 5
}
throw 'VM otwin1 did not answer on TCP 22 at 192.168.50.21 within 45 minutes'
exit 0
