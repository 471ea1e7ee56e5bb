$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
Set-StrictMode -Version 3.0
trap {
  [Console]::Error.WriteLine('step ''wait for VM otwin1'' failed: ' + $_.Exception.Message)
  exit 1
}
function Test-Port([string]$address, [int]$port) {
  $client = New-Object System.Net.Sockets.TcpClient
  try { return ($client.ConnectAsync($address, $port).Wait(3000) -and $client.Connected) } catch { return $false } finally { $client.Dispose() }
}
$vmName = 'otwin1'
$deadline = (Get-Date).AddMinutes(45)
while ((Get-Date) -lt $deadline) {
  if (Test-Port '10.20.0.21' 22) { Write-Output "VM $vmName answers"; exit 0 }
  Start-Sleep -Seconds 5
}
throw 'VM otwin1 showed no TCP 22 on 10.20.0.21 within 45 minutes'
exit 0
