#!/usr/bin/env bash
# Robustness of the validation suite (docs/ODD.md 9.12): rerun `cohabit patterns` with one
# assumed parameter at a time set to a low and a high value, and print how many checks hold
# at each setting and which fail. About a minute per setting on 2 cores at 30 seeds.
#
#   scripts/robustness.sh [OUT_DIR] [SEEDS]        (defaults: output/robustness, 30)
#
# Edit SETTINGS below to probe your own parameters (any key `--set` accepts).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-output/robustness}
seeds=${2:-30}
SETTINGS=(
  behaviour.eviction_grievance=0.05 behaviour.eviction_grievance=0.3
  behaviour.outrage_per_incident=0 behaviour.outrage_per_incident=0.01
  behaviour.expectation_usd_week=0 behaviour.expectation_usd_week=15
  behaviour.trust_memory_weeks=52 behaviour.trust_memory_weeks=520
  security.abuse_propensity=0.05 security.abuse_propensity=0.4
  behaviour.clash_violence=0.1 behaviour.clash_violence=0.5
  behaviour.engagement_trust_gain=0.03 behaviour.engagement_trust_gain=0.2
  miners.inflow_per_week=2 miners.inflow_per_week=15
  company.stoppage_cost_usd_day=100000 company.stoppage_cost_usd_day=3000000
  behaviour.grievance_memory_weeks=26 behaviour.grievance_memory_weeks=104
  landscape.core_access=0.2 landscape.core_access=1.0
  officials.corruption=0.1 officials.corruption=0.8
  miners.criminal_financed_share=0 miners.criminal_financed_share=0.15
  behaviour.blockade_share=0.08 behaviour.blockade_share=0.3
)
cargo build --release --quiet
mkdir -p "$out"
for kv in "${SETTINGS[@]}"; do
  dir="$out/${kv//=/_}"
  table=$(target/release/cohabit patterns --seeds "$seeds" --quiet --set "$kv" --out "$dir")
  echo "$kv: $(echo "$table" | tail -1 | sed 's/ (.*//')"
  # Failing checks, each with the line that gives its measured effect and 95% CI.
  echo "$table" | grep -A1 '^FAIL' | grep -v '^--' | sed 's/^/   /' || true
done | tee "$out/summary.txt"
