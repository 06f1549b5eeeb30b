"""EMA Workbench drives cohabit as an external model, through `cohabit run-one`.

Each experiment sends one JSON request to `cohabit run-one` (scenario keys to set, the
strategy, the replicate) and reads the run's metrics back as JSON. EMA Workbench samples
the uncertainties (here: gold-price volatility, the number of miners, what the government
does before elections) and runs each sample under each strategy (the policies).

    pip install ema_workbench          # tested with ema_workbench 2.5.3, Python 3.11
    cargo build --release
    python examples/drive_with_ema.py  # 16 scenarios x 2 strategies on the tiny test world

Options: --scenarios N, --scenario FILE (default tests/fixtures/tiny.toml), --cohabit BIN.
"""

import argparse
import json
import os
import subprocess

from ema_workbench import (
    CategoricalParameter,
    IntegerParameter,
    Model,
    Policy,
    RealParameter,
    ScalarOutcome,
    SequentialEvaluator,
    perform_experiments,
)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUTCOMES = ["conflict_incidents", "mean_income_usd_week", "npv_cost_usd"]


def cohabit_model(binary, scenario):
    """A Python function EMA Workbench can call: keyword arguments in, metrics out."""

    def run(strategy, replicate=0, **scenario_keys):
        request = {
            "scenario": scenario,
            "set": scenario_keys,  # dotted scenario keys, as with --set
            "strategy": strategy,
            "replicate": int(replicate),
        }
        reply = subprocess.run(
            [binary, "run-one"],
            input=json.dumps(request),
            capture_output=True,
            text=True,
        )
        if reply.returncode != 0:
            raise RuntimeError(f"cohabit run-one failed: {reply.stderr.strip()}")
        metrics = json.loads(reply.stdout)["metrics"]
        return {name: metrics[name] for name in OUTCOMES}

    return run


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", type=int, default=16)
    parser.add_argument(
        "--scenario", default=os.path.join(ROOT, "tests", "fixtures", "tiny.toml")
    )
    parser.add_argument(
        "--cohabit", default=os.path.join(ROOT, "target", "release", "cohabit")
    )
    args = parser.parse_args()

    model = Model("cohabit", function=cohabit_model(args.cohabit, args.scenario))
    # Names are cohabit's scenario keys: EMA passes them through as keyword arguments.
    model.uncertainties = [
        RealParameter("economy.price_volatility", 0.05, 0.40),
        IntegerParameter("miners.initial", 100, 300),
        CategoricalParameter(
            "government.election_behaviour", ["crackdown", "leniency", "none"]
        ),
    ]
    model.levers = [CategoricalParameter("strategy", ["confrontation", "cohabitation"])]
    model.outcomes = [ScalarOutcome(name) for name in OUTCOMES]
    policies = [Policy(name, strategy=name) for name in ["confrontation", "cohabitation"]]

    with SequentialEvaluator(model) as evaluator:
        experiments, outcomes = perform_experiments(
            model, scenarios=args.scenarios, policies=policies, evaluator=evaluator
        )

    experiments = experiments.assign(**outcomes)
    print(f"{len(experiments)} runs of cohabit through run-one; mean outcomes by strategy:")
    print(experiments.groupby("strategy")[OUTCOMES].mean().round(2).to_string())


if __name__ == "__main__":
    main()
