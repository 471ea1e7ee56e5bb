$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Set-StrictMode -Version 3.0
trap {
  [Console]::Error.WriteLine('step ''wait for VM otlnx1'' failed: ' + $_.Exception.Message)
  exit 1
}
function Test-Port([string]$address, [int]$port) {
  $client = New-Object System.Net.Sockets.TcpClient
  try { return ($client.ConnectAsync($address, $port).Wait(3000) -and $client.Connected) } catch { return $false } finally { $client.Dispose() }
}
$vmName = 'otlnx1'
$deadline = (Get-Date).AddMinutes(15)
while ((Get-Date) -lt $deadline) {
  if (Test-Port '10.20.0.31' 22) { Write-Output "VM $vmName answers"; exit 0 }
  Start-Sleep -Seconds 5
}
throw 'VM otlnx1 showed no TCP 22 on 10.20.0.31 within 15 minutes'
exit 0
