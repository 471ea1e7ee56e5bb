#!/usr/bin/env bash
# npm run test:hosts: install the checking tools when missing, then run the host-check tier
# (test/hosts/*.check.ts), which renders the dev, production and variant stacks and ends with
# "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/checks/install.sh
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0
npx vitest run --config test/hosts/vitest.config.mts "$@" 2>&1 | tee "$log" || status=$?
# vitest may print pool shutdown notices after the reporter: repeat the summary as the closing line.
summary="$(grep -E '^[0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1 || true)"
if [ -n "$summary" ]; then echo "$summary"; fi
exit "$status"
