#!/usr/bin/env bash
# npm run test:hosts: install the checking tools when missing, then run the host-check tier
# (test/hosts/*.check.ts), which renders the dev, production and variant stacks and ends with
# "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/checks/install.sh
exec npx vitest run --config test/hosts/vitest.config.mts "$@"
