"""The authoring toolkit: starter scenarios, the JSON Schema of the format, lint and balance reports.

Domain code only: these modules compute and return data, and never print (``game.cli`` does that).
"""

from .balance import DEFAULT_BALANCE_GAMES, BalanceReport, balance_policies, report_dict, run_balance
from .lint import CODES, DEFAULT_LINT_GAMES, Finding, lint_file, lint_scenario
from .schema import SCHEMA_ID, scenario_schema
from .starter import StarterNameError, starter_target, starter_text, write_starter

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
