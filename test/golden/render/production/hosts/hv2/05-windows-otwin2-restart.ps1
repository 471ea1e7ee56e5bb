$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Set-StrictMode -Version 3.0
trap {
  [Console]::Error.WriteLine('step ''restart of otwin2'' failed: ' + $_.Exception.Message)
  exit 1
}
function Test-Port([string]$address, [int]$port) {
  $client = New-Object System.Net.Sockets.TcpClient
  try { return ($client.ConnectAsync($address, $port).Wait(3000) -and $client.Connected) } catch { return $false } finally { $client.Dispose() }
}
$address = '10.20.0.22'
# The prepare step scheduled no restart, so the guest only has to answer. After a scheduled restart this
# first waits for TCP 22 to close, and the next step checks the guest's boot (components/scripts/windows/prepare.ts).
$deadline = (Get-Date).AddMinutes(45)
while ((Get-Date) -lt $deadline) {
  if (Test-Port $address 22) { Start-Sleep -Seconds 10; Write-Output "$address answers on TCP 22"; exit 0 }
  Start-Sleep -Seconds 5
}
throw 'VM otwin2 did not answer on TCP 22 at 10.20.0.22 within 45 minutes'
exit 0
