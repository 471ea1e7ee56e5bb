/** Bash helpers of prepare-node: checksums, install stamps, binaries, and one TOML key in one table. */

export const PREPARE_HELPERS = `# verify_checksum FILE sha256:<hex>|sha512:<hex>: true when the file matches.
verify_checksum() {
  local file="$1" algorithm="\${2%%:*}" digest="\${2#*:}"
  case "\${algorithm}" in
    sha256) printf '%s  %s\\n' "\${digest}" "\${file}" | sha256sum --check --status ;;
    sha512) printf '%s  %s\\n' "\${digest}" "\${file}" | sha512sum --check --status ;;
    *) fail "unknown checksum algorithm '\${algorithm}'" ;;
  esac
}

# artifact_checksum NAME: prints the pinned checksum of an artifact.
artifact_checksum() {
  local entry name url checksum
  for entry in "\${ARTIFACTS[@]}"; do
    read -r name url checksum <<< "\${entry}"
    if [ "\${name}" = "$1" ]; then
      printf '%s\\n' "\${checksum}"
      return 0
    fi
  done
  fail "no artifact named $1"
}

# is_installed NAME FILE: true when FILE exists and artifact NAME was installed at its pinned checksum.
is_installed() {
  local stamp="\${STAMP_DIR}/$1"
  [ -e "$2" ] && [ -f "\${stamp}" ] && [ "$(cat "\${stamp}")" = "$(artifact_checksum "$1")" ]
}

# mark_installed NAME: records that artifact NAME is installed at its pinned checksum.
mark_installed() {
  mkdir -p "\${STAMP_DIR}"
  artifact_checksum "$1" > "\${STAMP_DIR}/$1"
}

# install_binary SOURCE TARGET: installs an executable when TARGET differs; sets CHANGED.
install_binary() {
  CHANGED=0
  if [ -f "$2" ] && cmp -s "$1" "$2"; then
    return 0
  fi
  mkdir -p "$(dirname "$2")"
  install -m 0755 "$1" "$2"
  CHANGED=1
}`;

/**
 * toml_set FILE TABLE KEY VALUE: sets KEY = VALUE inside [TABLE] (added at the table's end when the
 * key is absent). Fails when the table does not exist, so a changed layout of containerd's default
 * config stops the step instead of silently leaving the cgroup driver wrong.
 */
export function containerdHelpers(): string {
  return `# toml_set FILE TABLE KEY VALUE: sets KEY = VALUE inside [TABLE]; fails when [TABLE] is absent.
toml_set() {
  local file="$1" edited
  edited="$(mktemp)"
  TMP_FILES+=("\${edited}")
  if ! awk -v table="[$2]" -v key="$3" -v value="$4" '
    function trim(s) { sub(/^[ \\t]+/, "", s); sub(/[ \\t]+$/, "", s); return s }
    {
      line = trim($0)
      if (substr(line, 1, 1) == "[") {
        if (inside && !done) { print "  " key " = " value; done = 1 }
        inside = (line == table)
        if (inside) { found = 1 }
        print
        next
      }
      if (inside && !done) {
        eq = index(line, "=")
        if (eq > 0 && trim(substr(line, 1, eq - 1)) == key) {
          lead = substr($0, 1, index($0, key) - 1)
          print lead key " = " value
          done = 1
          next
        }
      }
      print
    }
    END {
      if (inside && !done) { print "  " key " = " value }
      if (!found) { exit 3 }
    }' "\${file}" > "\${edited}"; then
    fail "containerd's default config has no table [$2]"
  fi
  cat "\${edited}" > "\${file}"
}`;
}
