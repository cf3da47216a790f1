"""The authoring toolkit: starter scenarios, the JSON Schema of the format, lint and balance reports.

Domain code only: these modules compute and return data, and never print (``game.cli`` does that).
The names below are imported from their modules on first use, so that ``game.authoring.defaults`` and
``game.authoring.starter`` (what ``manila --help`` and ``manila new`` need) do not load the engine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..lazy import lazy_exports

if TYPE_CHECKING:
    from .balance import BalanceReport, balance_policies, report_dict, run_balance
    from .defaults import CODES, DEFAULT_BALANCE_GAMES, DEFAULT_LINT_GAMES
    from .lint import Finding, lint_file, lint_scenario
    from .schema import SCHEMA_ID, scenario_schema
    from .starter import StarterNameError, starter_target, starter_text, write_starter

_HOME = {
    "CODES": "defaults",
    "DEFAULT_BALANCE_GAMES": "defaults",
    "DEFAULT_LINT_GAMES": "defaults",
    "SCHEMA_ID": "schema",
    "BalanceReport": "balance",
    "Finding": "lint",
    "StarterNameError": "starter",
    "balance_policies": "balance",
    "lint_file": "lint",
    "lint_scenario": "lint",
    "report_dict": "balance",
    "run_balance": "balance",
    "scenario_schema": "schema",
    "starter_target": "starter",
    "starter_text": "starter",
    "write_starter": "starter",
}

__all__ = [
    "CODES",
    "DEFAULT_BALANCE_GAMES",
    "DEFAULT_LINT_GAMES",
    "SCHEMA_ID",
    "BalanceReport",
    "Finding",
    "StarterNameError",
    "balance_policies",
    "lint_file",
    "lint_scenario",
    "report_dict",
    "run_balance",
    "scenario_schema",
    "starter_target",
    "starter_text",
    "write_starter",
]


__getattr__ = lazy_exports(__name__, _HOME)
