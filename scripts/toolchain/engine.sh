#!/usr/bin/env bash
# Build the Pulumi engine toolchain (CLI, Node.js language host, provider
# plugins) from the Go module proxy, at pinned versions, into a cache outside
# the work tree. See docs/toolchain.md.
#
#   npm run toolchain                 # build what is missing, skip what is built
#   OPENTWIN_TOOLCHAIN_CACHE=/x npm run toolchain
#   OPENTWIN_TOOLCHAIN_REPROBE=1 ...  # re-ask the proxy for the modules it refused
#   OPENTWIN_TOOLCHAIN_FORCE=1 ...    # rebuild everything
#
# Cache layout (shared with the Kubernetes-binaries script; keep these names):
#   $CACHE/bin        binaries (put on PATH by scripts/toolchain/env.sh)
#   $CACHE/gomod      GOMODCACHE
#   $CACHE/gobuild    GOCACHE
#   $CACHE/src        generated wrapper modules
#   $CACHE/stamps     one stamp per built binary and pinned version
#   $CACHE/pulumi-home  PULUMI_HOME
set -euo pipefail

# ---- pins -------------------------------------------------------------------
# Engine: must equal the @pulumi/pulumi npm pin in package.json.
PULUMI_VERSION="v3.276.0"
# pulumi/pkg/v3's go.mod has `replace github.com/atotto/clipboard => ...`; a
# replace in a dependency is ignored, so the wrapper module repeats it. (Its other
# replace, sdk/v3 => ../sdk, is the monorepo layout; the wrapper uses sdk/v3 at
# the same version instead.)
PULUMI_REPLACES=(
  "github.com/atotto/clipboard=github.com/tgummerer/clipboard@v0.0.0-20241001131231-d02d263e614e"
)
# Kubernetes provider: only this pseudo-version of the provider module is served.
# Commit f47bc2d6f199 (2026-01-15) is the v4.25.0 release (see docs/toolchain.md);
# @pulumi/kubernetes in package.json is pinned to the same 4.25.0.
K8S_MODULE="github.com/pulumi/pulumi-kubernetes/provider/v4"
K8S_MODULE_VERSION="v4.0.0-20260115033456-f47bc2d6f199"
K8S_VERSION="4.25.0"
# Providers whose Go modules the proxy does not serve: probed, reported, skipped.
COMMAND_VERSION="1.2.1" # @pulumi/command
TLS_VERSION="5.6.1"     # @pulumi/tls
UNSERVED_PROBES=(
  "pulumi-resource-command|${COMMAND_VERSION}|github.com/pulumi/pulumi-command/provider@v${COMMAND_VERSION}"
  "pulumi-resource-tls|${TLS_VERSION}|github.com/pulumi/pulumi-tls/provider/v5@v${TLS_VERSION}"
  "pulumi-language-nodejs (upstream)|${PULUMI_VERSION}|github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3@${PULUMI_VERSION}"
)
MIN_GO="1.26.6" # pulumi/pkg/v3 v3.276.0 declares `go 1.26.6`

# ---- environment ------------------------------------------------------------
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="${OPENTWIN_TOOLCHAIN_CACHE:-$HOME/.cache/opentwin-iac}"
BIN="$CACHE/bin"
SRC="$CACHE/src"
STAMPS="$CACHE/stamps"
export GOMODCACHE="$CACHE/gomod"
export GOCACHE="$CACHE/gobuild"
export GOFLAGS="-mod=mod"
export CGO_ENABLED=0
FORCE="${OPENTWIN_TOOLCHAIN_FORCE:-0}"
REPROBE="${OPENTWIN_TOOLCHAIN_REPROBE:-0}"
mkdir -p "$BIN" "$SRC" "$STAMPS" "$GOMODCACHE" "$GOCACHE" "$CACHE/pulumi-home"

log() { printf '[toolchain] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }

command -v go >/dev/null || die "go is not on PATH"
command -v node >/dev/null || die "node is not on PATH (needed to prepare the kubernetes schema)"
go_version="$(go env GOVERSION)"
go_version="${go_version#go}"
if [[ "$(printf '%s\n%s\n' "$MIN_GO" "$go_version" | sort -V | head -n1)" != "$MIN_GO" ]]; then
  die "go $go_version is older than $MIN_GO; only GOTOOLCHAIN=go1.27.3 is known to be served (export it and rerun)"
fi

declare -a SUMMARY=()
record() { SUMMARY+=("$(printf '%-34s %-10s %s' "$1" "$2" "$3")"); }

# stamp_ok NAME VERSION CHECK_CMD... : true when the stamp exists and the binary answers.
stamp_ok() {
  local name="$1" version="$2"
  shift 2
  [[ "$FORCE" == "1" ]] && return 1
  [[ -f "$STAMPS/$name-$version" && -x "$BIN/$name" ]] || return 1
  local out
  out="$("$@" 2>/dev/null)" || return 1
  [[ "$out" == *"${version#v}"* ]]
}

write_stamp() {
  local name="$1" version="$2"
  {
    echo "name=$name"
    echo "version=$version"
    echo "built=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "go=$(go env GOVERSION)"
    echo "sha256=$(sha256sum "$BIN/$name" | cut -d' ' -f1)"
  } >"$STAMPS/$name-$version"
}

# ---- pulumi CLI -------------------------------------------------------------
build_pulumi() {
  local t0 dir
  t0="$(now)"
  if stamp_ok pulumi "$PULUMI_VERSION" "$BIN/pulumi" version; then
    record pulumi "$PULUMI_VERSION" "cached ($(elapsed "$t0"))"
    return
  fi
  log "building pulumi $PULUMI_VERSION (cold: several minutes on 2 cores)"
  dir="$SRC/pulumi-$PULUMI_VERSION"
  mkdir -p "$dir"
  cat >"$dir/go.mod" <<EOF
module opentwin.local/toolchain/pulumi

go $MIN_GO

require github.com/pulumi/pulumi/pkg/v3 $PULUMI_VERSION

tool github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
EOF
  local r
  for r in "${PULUMI_REPLACES[@]}"; do
    (cd "$dir" && go mod edit -replace="$r")
  done
  (cd "$dir" && go mod tidy)
  (cd "$dir" && go build -trimpath -o "$BIN/pulumi" \
    -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=$PULUMI_VERSION" \
    github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)
  "$BIN/pulumi" version >/dev/null
  write_stamp pulumi "$PULUMI_VERSION"
  record pulumi "$PULUMI_VERSION" "built ($(elapsed "$t0"))"
}

# ---- Node.js language host (our minimal host; upstream module is not served) -
build_langhost() {
  local t0 dir src_hash version
  t0="$(now)"
  src_hash="$(sha256sum "$SCRIPT_DIR/langhost-nodejs/main.go" | cut -c1-12)"
  version="$PULUMI_VERSION"
  if stamp_ok pulumi-language-nodejs "$version" "$BIN/pulumi-language-nodejs" --version &&
    grep -q "src=$src_hash" "$STAMPS/pulumi-language-nodejs-$version"; then
    record pulumi-language-nodejs "$version" "cached ($(elapsed "$t0"))"
    return
  fi
  log "building pulumi-language-nodejs $version (opentwin minimal host, src $src_hash)"
  dir="$SRC/pulumi-language-nodejs-$version"
  mkdir -p "$dir"
  cp "$SCRIPT_DIR/langhost-nodejs/main.go" "$dir/main.go"
  cat >"$dir/go.mod" <<EOF
module opentwin.local/toolchain/pulumi-language-nodejs

go $MIN_GO

require github.com/pulumi/pulumi/sdk/v3 $PULUMI_VERSION
EOF
  (cd "$dir" && go mod tidy)
  (cd "$dir" && go build -trimpath -o "$BIN/pulumi-language-nodejs" \
    -ldflags "-s -w -X main.Version=$version" .)
  write_stamp pulumi-language-nodejs "$version"
  echo "src=$src_hash" >>"$STAMPS/pulumi-language-nodejs-$version"
  record pulumi-language-nodejs "$version" "built ($(elapsed "$t0"))"
}

# ---- dynamic-provider shim (shell script that the Pulumi release ships) -----
write_dynamic_provider() {
  cat >"$BIN/pulumi-resource-pulumi-nodejs" <<'EOF'
#!/bin/sh
# Dynamic providers (@pulumi/pulumi dynamic.Resource): same shim as the Pulumi release ships.
exec node ./node_modules/@pulumi/pulumi/cmd/dynamic-provider "$@"
EOF
  chmod +x "$BIN/pulumi-resource-pulumi-nodejs"
}

# ---- kubernetes provider ----------------------------------------------------
build_kubernetes() {
  local t0 dir moddir
  t0="$(now)"
  if stamp_ok pulumi-resource-kubernetes "$K8S_VERSION" "$BIN/pulumi-resource-kubernetes" --version; then
    record pulumi-resource-kubernetes "$K8S_VERSION" "cached ($(elapsed "$t0"))"
    return
  fi
  log "building pulumi-resource-kubernetes $K8S_VERSION ($K8S_MODULE@$K8S_MODULE_VERSION)"
  dir="$SRC/pulumi-resource-kubernetes-$K8S_VERSION"
  mkdir -p "$dir"
  moddir="$(go mod download -json "$K8S_MODULE@$K8S_MODULE_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [[ -f "$moddir/cmd/pulumi-resource-kubernetes/schema.json" ]] ||
    die "schema.json not found in $K8S_MODULE@$K8S_MODULE_VERSION"
  # The upstream main embeds schema-embed.json / terraform-mapping-embed.json, which
  # `go generate` makes from the schema.json / terraform-mapping.json shipped in the
  # module (version stamped in, minified). Do the same here.
  node -e '
    const fs = require("fs");
    const [dir, out, version] = process.argv.slice(1);
    const schema = JSON.parse(fs.readFileSync(dir + "/schema.json", "utf8"));
    schema.version = version;
    fs.writeFileSync(out + "/schema-embed.json", JSON.stringify(schema));
    const mapping = JSON.parse(fs.readFileSync(dir + "/terraform-mapping.json", "utf8"));
    fs.writeFileSync(out + "/terraform-mapping-embed.json", JSON.stringify(mapping));
  ' "$moddir/cmd/pulumi-resource-kubernetes" "$dir" "$K8S_VERSION"
  cat >"$dir/main.go" <<'EOF'
// Generated by scripts/toolchain/engine.sh: the upstream
// cmd/pulumi-resource-kubernetes main, plus --version.
package main

import (
	_ "embed"
	"fmt"
	"os"

	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/provider"
	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version"
)

//go:embed schema-embed.json
var pulumiSchema []byte

//go:embed terraform-mapping-embed.json
var terraformMapping []byte

func main() {
	if len(os.Args) == 2 && (os.Args[1] == "--version" || os.Args[1] == "-version") {
		fmt.Println(version.Version)
		return
	}
	provider.Serve("kubernetes", version.Version, pulumiSchema, terraformMapping)
}
EOF
  cat >"$dir/go.mod" <<EOF
module opentwin.local/toolchain/pulumi-resource-kubernetes

go 1.24.7

require $K8S_MODULE $K8S_MODULE_VERSION
EOF
  (cd "$dir" && go mod tidy)
  (cd "$dir" && go build -trimpath -o "$BIN/pulumi-resource-kubernetes" \
    -ldflags "-s -w -X $K8S_MODULE/pkg/version.Version=$K8S_VERSION" .)
  write_stamp pulumi-resource-kubernetes "$K8S_VERSION"
  record pulumi-resource-kubernetes "$K8S_VERSION" "built ($(elapsed "$t0"))"
}

# ---- provider plugins into the Pulumi plugin cache ----------------------------
# With PULUMI_IGNORE_AMBIENT_PLUGINS=true (env.sh) the engine skips $PATH and
# takes resource-<name>-v<version>/ from $PULUMI_HOME/plugins, matching the
# version the SDK asks for: no "using ... from $PATH" and no version warnings.
install_plugin() {
  local kind="$1" name="$2" version="$3" dir
  dir="$CACHE/pulumi-home/plugins/$kind-$name-v${version#v}"
  [[ -x "$BIN/pulumi-$kind-$name" ]] || return 0
  mkdir -p "$dir"
  rm -f "$dir.partial" "$dir/pulumi-$kind-$name"
  ln "$BIN/pulumi-$kind-$name" "$dir/pulumi-$kind-$name" 2>/dev/null ||
    cp "$BIN/pulumi-$kind-$name" "$dir/pulumi-$kind-$name"
}

# ---- modules the proxy refuses: probe once, remember the answer -------------
probe_unserved() {
  local entry name version mod t0 marker err
  for entry in "${UNSERVED_PROBES[@]}"; do
    IFS='|' read -r name version mod <<<"$entry"
    t0="$(now)"
    marker="$STAMPS/$(echo "$name" | tr -c 'a-zA-Z0-9.\n-' '_')-$version.unavailable"
    if [[ "$REPROBE" != "1" && -f "$marker" ]]; then
      record "$name" "$version" "NOT SERVED (cached probe; OPENTWIN_TOOLCHAIN_REPROBE=1 to re-ask)"
      continue
    fi
    if err="$(cd "$SRC" && go mod download -json "$mod" 2>&1)" && [[ "$err" != *'"Error"'* ]]; then
      rm -f "$marker"
      record "$name" "$version" "SERVED now ($mod) - not built by this script yet ($(elapsed "$t0"))"
    else
      printf '%s\n' "$err" | sed -n 's/.*"Error": "\(.*\)".*/\1/p;/^go: /p' >"$marker"
      record "$name" "$version" "NOT SERVED ($(head -c 160 "$marker" | tr '\n' ' '))"
    fi
  done
}

main() {
  local t_all
  t_all="$(now)"
  log "cache: $CACHE ($(go env GOVERSION))"
  build_pulumi
  build_langhost
  write_dynamic_provider
  build_kubernetes
  install_plugin resource kubernetes "$K8S_VERSION"
  probe_unserved
  printf '\n%-34s %-10s %s\n' "binary" "version" "result"
  printf '%s\n' "${SUMMARY[@]}"
  printf '\ntotal: %s   cache: %s\n' "$(elapsed "$t_all")" "$CACHE"
  cat <<EOF

To use these binaries in a shell:
  source scripts/toolchain/env.sh
or:
  export PATH="$BIN:\$PATH" PULUMI_HOME="$CACHE/pulumi-home" PULUMI_IGNORE_AMBIENT_PLUGINS=true \\
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true PULUMI_SKIP_UPDATE_CHECK=true
Local stacks: npm run preview -- <stack> (scripts/pulumi-local.sh)
EOF
}

main "$@"
