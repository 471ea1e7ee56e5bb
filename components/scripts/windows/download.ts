/** A PowerShell function that downloads a file and checks it against a pinned `sha256:`/`sha512:` checksum. */
export const GET_VERIFIED_ARTIFACT = `function Get-VerifiedArtifact([string]$url, [string]$path, [string]$checksum) {
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
}`;

/** Problems with a checksum string (empty when it is `sha256:<64 hex>` or `sha512:<128 hex>`). */
export function checksumProblems(checksum: string): string[] {
  return /^(sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$/.test(checksum) ? [] : [`checksum '${checksum}' is not sha256:<64 hex> or sha512:<128 hex>`];
}
