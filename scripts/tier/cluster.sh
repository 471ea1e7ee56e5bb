#!/usr/bin/env bash
# npm run test:cluster: build or reuse both toolchains, then run the cluster tier
# (test/cluster/*.check.ts): start the kwok cluster, pulumi up the e2e stack with the real engine,
# check the live API, preview --expect-no-changes, destroy, stop the cluster. Ends with
# "N passed, N failed". The tier cleans up in afterAll; the trap stops the cluster even if vitest dies.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/toolchain/engine.sh
bash scripts/toolchain/cluster.sh
trap 'bash scripts/cluster/down.sh >/dev/null 2>&1 || true' EXIT
npx vitest run --config test/cluster/vitest.config.mts "$@"
