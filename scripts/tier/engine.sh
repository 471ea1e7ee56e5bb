#!/usr/bin/env bash
# npm run test:engine: build or reuse the Pulumi engine toolchain (scripts/toolchain/engine.sh; warm:
# seconds), then run the real-engine tier (test/engine/*.check.ts), which ends with "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/../.."
bash scripts/toolchain/engine.sh
exec npx vitest run --config test/engine/vitest.config.mts "$@"
