#!/usr/bin/env bash
# Robustness of the validation suite (docs/ODD.md 9.12): rerun `cohabit patterns` with one
# assumed parameter at a time set to the low and the high end of its plausible range (`cohabit
# keys`), and print how many checks pass at each setting and which fail. About four minutes
# per setting on 2 cores at 20 seeds.
#
#   scripts/robustness.sh [OUT_DIR] [SEEDS]        (defaults: output/robustness, 20)
#
# Edit SETTINGS below to probe your own parameters (any key `--set` accepts).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-output/robustness}
seeds=${2:-20}
SETTINGS=(
  security.forces_violence_factor=1.0 security.forces_violence_factor=3.0
  security.forces_ops_per_week=5 security.forces_ops_per_week=40
  security.rent_seeking=0 security.rent_seeking=0.7
  company.periphery_loss_per_miner_week_usd=5 company.periphery_loss_per_miner_week_usd=150
  company.attack_targets_per_week=1 company.attack_targets_per_week=10
  channels.messenger_weight=0.5
  channels.exposure_fear=0.2 channels.exposure_fear=0.8
  channels.condoning=0 channels.condoning=0.1
  economy.asm_elsewhere_factor=0.5 economy.asm_elsewhere_factor=2.0
  behaviour.trust_restraint=0.2 behaviour.trust_restraint=0.8
  behaviour.expectation_tempering=0.25 behaviour.expectation_tempering=0.75
  miners.planning_weeks=52 miners.planning_weeks=260
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
