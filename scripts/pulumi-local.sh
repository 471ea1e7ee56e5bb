#!/usr/bin/env bash
# Run the real Pulumi CLI from the toolchain cache against a local file backend.
#
#   scripts/pulumi-local.sh <preview|up|destroy|refresh|stack|config|...> <stack> [extra pulumi args]
#   npm run preview -- dev        npm run up -- dev        npm run destroy -- dev
#
# - binaries: scripts/toolchain/env.sh ($OPENTWIN_TOOLCHAIN_CACHE/bin; build with `npm run toolchain`)
# - state:    PULUMI_BACKEND_URL=file://<project>/.pulumi-state (gitignored)
# - secrets:  passphrase provider; PULUMI_CONFIG_PASSPHRASE defaults to "opentwin-local-dev"
#             (local throwaway state only - export your own value, or PULUMI_CONFIG_PASSPHRASE_FILE,
#             for anything that matters; it must match the encryptionsalt in stacks/Pulumi.<stack>.yaml)
# - the stack is created on first use (pulumi stack select --create), which writes
#   `encryptionsalt` into stacks/Pulumi.<stack>.yaml
# - always --non-interactive; up/destroy/refresh also get --yes
# - OPENTWIN_PULUMI_PROJECT_DIR runs another project directory (default: the repository)
set -euo pipefail

usage() {
  sed -n '2,6p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}
[[ $# -ge 2 ]] || usage
cmd="$1"
stack="$2"
shift 2

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PROJECT_DIR="$(cd "${OPENTWIN_PULUMI_PROJECT_DIR:-$REPO}" && pwd)"
# shellcheck source=scripts/toolchain/env.sh
source "$REPO/scripts/toolchain/env.sh"

if [[ ! -x "$OPENTWIN_TOOLCHAIN_CACHE/bin/pulumi" ]]; then
  echo "pulumi-local: no pulumi in $OPENTWIN_TOOLCHAIN_CACHE/bin - run: npm run toolchain" >&2
  exit 1
fi

export PULUMI_BACKEND_URL="file://$PROJECT_DIR/.pulumi-state"
mkdir -p "$PROJECT_DIR/.pulumi-state"
if [[ -z "${PULUMI_CONFIG_PASSPHRASE:-}" && -z "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ]]; then
  export PULUMI_CONFIG_PASSPHRASE="opentwin-local-dev"
fi

cd "$PROJECT_DIR"
pulumi stack select --create --non-interactive --secrets-provider passphrase "$stack" >&2

extra=()
case "$cmd" in
  up | update | destroy | refresh | import) extra+=(--yes) ;;
esac
# Pulumi's default parallelism (4 x CPUs) serialised the Windows workers' long steps in the benchmark.
case "$cmd" in
  preview | up | update | destroy) extra+=(--parallel "${OPENTWIN_PULUMI_PARALLEL:-64}") ;;
esac
case "$cmd" in
  whoami | version | plugin | login | logout | about) ;;
  *) extra+=(--stack "$stack") ;;
esac
exec pulumi "$cmd" "$@" "${extra[@]}" --non-interactive
