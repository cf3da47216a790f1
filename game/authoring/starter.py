"""``manila new``: a commented starter scenario that validates, plays and lints clean.

The starter is a small fictional crisis (a port lease offered by one power and opposed by another) built
to be edited: every section says what it does and points to the format reference. ``--full`` writes the
same crisis grown to show every section of the format and every format-2 feature. Both are written as
text, not generated from the model, so that their comments survive.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import ManilaError

__all__ = ["StarterNameError", "starter_target", "starter_text", "write_starter"]

_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,59}$")  # a valid scenario id (scenario.SCENARIO_ID_RE)


class StarterNameError(ValueError):
    """A NAME that cannot become a scenario id (a usage error, not a file problem)."""


def starter_target(name: str) -> tuple[Path, str]:
    """``(path, scenario id)`` for ``manila new NAME``.

    ``NAME`` is a bare name (``turkey-s400`` gives ``./turkey-s400.toml``) or a path, with or without
    ``.toml``. The file name without ``.toml`` becomes the scenario id, so it must be a valid id.

    >>> starter_target("scenarios/radar")
    (PosixPath('scenarios/radar.toml'), 'radar')
    """
    if not name.strip():
        raise StarterNameError("the name is empty")
    path = Path(name)
    if path.suffix != ".toml":
        path = path.with_name(path.name + ".toml")
    stem = path.name[: -len(".toml")]
    if not _NAME_RE.match(stem):
        suggestion = re.sub(r"[^a-z0-9_-]+", "-", stem.lower()).strip("-_")[:60]
        hint = f" (e.g. '{suggestion}')" if suggestion and _NAME_RE.match(suggestion) else ""
        raise StarterNameError(
            f"'{stem}' cannot be a scenario id: use lower-case letters, digits, '-' and "
            f"'_', starting with a letter or digit{hint}"
        )
    return path, stem


def write_starter(name: str, full: bool = False) -> Path:
    """Write the starter for ``name`` (``full``: the complete one); never overwrites (``ManilaError`` if the
    file exists)."""
    path, scenario_id = starter_target(name)
    folder = path.parent
    if not folder.is_dir():
        raise ManilaError(f"cannot write {path}: the folder {folder} does not exist")
    try:
        with open(path, "x", encoding="utf-8", newline="\n") as fh:
            fh.write(starter_text(scenario_id, full))
    except FileExistsError:
        raise ManilaError(
            f"{path} already exists; choose another name or move the file away first "
            "(manila new never overwrites a file)"
        ) from None
    except OSError as exc:
        raise ManilaError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path


def starter_text(scenario_id: str, full: bool = False) -> str:
    """The starter scenario's TOML for a scenario id (assumed valid); ``full``: the complete starter, which
    shows every section of the format and every format-2 feature."""
    title = " ".join(part.capitalize() for part in re.split(r"[-_]+", scenario_id) if part) or scenario_id
    return (_FULL_TEMPLATE if full else _TEMPLATE).replace("@ID@", scenario_id).replace("@TITLE@", title)


# @ID@ and @TITLE@ are replaced; the rest is written as is (a raw string: TOML's backslashes stay).
_TEMPLATE = r'''# ----------------------------------------------------------------------------------------------------
# @TITLE@: a starter scenario written by `manila new`.
#
# It already validates and plays: a small fictional crisis in which a foreign power offers to lease and
# rebuild your main port, and your treaty partner objects. Replace it piece by piece with your own crisis.
#
#   manila validate @ID@.toml     every problem at once, as FILE:LINE: key.path: message
#   manila lint @ID@.toml         what is valid but probably wrong (events that never fire, ...)
#   manila sim @ID@.toml          thousands of games with one policy: endings, scores
#   manila balance @ID@.toml      every built-in policy: is there a dominant strategy?
#   manila play @ID@.toml         play it
#
# The format is described in docs/scenario-format.md; docs/authoring.md walks through writing a scenario;
# scenarios/tutorial.toml is a commented example in format 2, and `manila new NAME --full` writes one that
# uses every feature.
# ----------------------------------------------------------------------------------------------------

format = 1

[scenario]
id = "@ID@"                                 # must be unique among your scenarios; used by `manila play ID`
title = "@TITLE@"
summary = """
A consortium from the Eastern League offers to lease Port Selan for twenty-five years and rebuild it. \
The Ocean Pact, your treaty partner, calls the port a security risk in foreign hands. You have one year.
"""
role = "President of Estaria"
start = "2030-01"                           # the month of the first turn ("YYYY-MM")
turns = 12                                  # twelve turns ...
unit = "month"                              # ... of one month each ("month", "quarter" or "year")
decisions = 1                               # decisions per turn (1 to 5)
# source = "sources/@ID@.txt"               # a plain-text source: paragraphs that events cite with cite = [N]
# source_title = "Where the source comes from (outlet, date)"
version = "1"
authors = ["Your name"]

# ---------------------------------------------------------------------------------------------- meters
# Meters are the quantities the player watches. Values are clamped to min..max (0..100 by default).

[meters.pact_ties]
label = "Ties with the Ocean Pact"
description = "How the treaty partner regards you: trade access, patience."
start = [50, 60]                            # a range is drawn uniformly for each game
drift = "0.1 * (55 - pact_ties)"            # an expression: relations settle back towards 55
bands = [                                   # names for ranges of values, usable in texts as {pact_ties.band}
  { below = 30, label = "hostile" },
  { below = 50, label = "cool" },
  { below = 70, label = "warm" },
  { label = "close" },
]

[meters.league_ties]
label = "Ties with the League"
start = 40
drift = "0.1 * (40 - league_ties)"

[meters.approval]
label = "Public approval"
format = "percent"
start = [45, 55]
drift = -0.5                                # governing wears you down a little every month

[meters.treasury]
label = "Treasury"
format = "money"
unit = "M"
max = 200
start = 60
drift = 2                                   # monthly revenue

# ----------------------------------------------------------------------------------------------- flags
# Flags are whole numbers: stages of a deal, rungs of an escalation ladder, counters.

[flags.lease]
label = "Port lease"
max = 3
stages = ["none", "talks", "signed", "rebuilt"]   # one name for each value 0..max

# ---------------------------------------------------------------------------------------------- events
# An event with options is a decision; an event without options is news. Events fire on a date, as a
# follow-up of an earlier choice, or at random (weighted) when their `when` condition holds.

[[events]]
id = "lease_offer"
title = "An offer for Port Selan"
text = """
The League's consortium offers to lease Port Selan and rebuild it at its own cost. The Pact's \
ambassador asks to see you before you answer. Relations with the Pact are {pact_ties.band}.
"""
date = "2030-01"                            # the first decision of the game
once = true

  [[events.options]]
  id = "open_talks"
  label = "Open talks with the consortium."
  outcome = "The consortium is delighted. The Pact's ambassador asks what exactly is being discussed."
  tags = ["pro_league"]                     # tags let policies (and `manila balance`) tell the sides apart
  effects = { league_ties = 8, pact_ties = -5 }
  set = { lease = 1 }
  follow = [{ event = "pact_warning", after = 1 }]   # a delayed consequence, one turn later

  [[events.options]]
  id = "refuse"
  label = "Refuse, and ask the Pact to help rebuild the port instead."
  outcome = "The Pact is pleased, and promises to see what it can do."
  tags = ["pro_pact"]
  effects = { pact_ties = 5, league_ties = -6 }
  follow = [{ event = "pact_offer", after = 2 }]

  [[events.options]]
  id = "wait"
  label = "Say nothing yet."
  effects = { approval = -1 }

[[events]]
id = "pact_warning"
title = "A warning from the Pact"
text = "The Pact's ambassador warns that a leased port would change how the Pact shares intelligence."
weight = 0                                  # never drawn at random: it only arrives as a follow-up

  [[events.options]]
  id = "reassure"
  label = "Reassure her: nothing is signed."
  tags = ["pro_pact"]
  effects = { pact_ties = 3 }

    [[events.options.branches]]             # a chance branch: one uniform draw decides
    chance = 0.3
    text = "She is not reassured, and says so to the press."
    effects = { pact_ties = -6, approval = -2 }

  [[events.options]]
  id = "defy"
  label = "\"Estaria leases its ports to whom it likes.\""
  outcome = "The crowd cheers. The Pact does not."
  tags = ["pro_league"]
  effects = { approval = 5, pact_ties = -8 }

[[events]]
id = "lease_contract"
title = "The lease contract"
text = "The consortium sends a contract: twenty-five years, and a signing payment of 40 million."
when = "lease == 1"                         # only while talks are open
weight = 3
once = true

  [[events.options]]
  id = "sign"
  label = "Sign, and bank the signing payment."
  tags = ["pro_league"]
  effects = { treasury = 40, league_ties = 6, pact_ties = -10 }
  set = { lease = 2 }
  follow = [{ event = "rebuilt", after = 4 }]

  [[events.options]]
  id = "cancel"
  label = "Walk away from the talks."
  tags = ["pro_pact"]
  effects = { league_ties = -8, pact_ties = 4 }
  set = { lease = 0 }

[[events]]
id = "rebuilt"
title = "Port Selan reopens"
text = "The rebuilt port reopens with new cranes and a thousand new jobs."
when = "lease == 2"
weight = 0
effects = { approval = 8, treasury = 10 }   # a news event: no options, no decision slot
set = { lease = 3 }

[[events]]
id = "pact_offer"
title = "The Pact's offer"
text = "The Pact offers a loan to rebuild the port, if it stays out of foreign hands."
when = "lease == 0"
weight = 0

  [[events.options]]
  id = "accept"
  label = "Accept the loan, and its conditions."
  tags = ["pro_pact"]
  effects = { pact_ties = 6, treasury = 20, approval = -3 }

  [[events.options]]
  id = "decline"
  label = "Decline: Estaria will not be told how to run its ports."
  tags = ["pro_league"]
  effects = { approval = 3, pact_ties = -4 }

[[events]]
id = "dock_strike"
title = "Dock strike"
text = "Port Selan's dockers strike for back pay. Approval stands at {approval}%."
weight = 2
cooldown = 3                                # at least three turns between two strikes

  [[events.options]]
  id = "pay"
  label = "Pay the back wages."
  cost = { treasury = 15 }                  # unavailable when the treasury cannot pay
  effects = { approval = 4 }

  [[events.options]]
  id = "wait_out"
  label = "Wait it out."

    [[events.options.branches]]
    chance = "0.7 - approval / 200"         # chances may be expressions
    text = "The strike spreads to the railways."
    effects = { approval = -8, treasury = -5 }

[[events]]
id = "summit"
title = "A regional summit"
text = "Both powers will be at the regional summit. Whom do you meet first?"
weight = 1

  [[events.options]]
  id = "pact_first"
  label = "The Pact's delegation."
  tags = ["pro_pact"]
  effects = { pact_ties = 4, league_ties = -2 }

  [[events.options]]
  id = "league_first"
  label = "The League's delegation."
  tags = ["pro_league"]
  effects = { league_ties = 4, pact_ties = -2 }

  [[events.options]]
  id = "home"
  label = "Stay home and open a school."
  effects = { approval = 2, pact_ties = -1, league_ties = -1 }   # choices that cut both ways

# --------------------------------------------------------------------------------------------- endings
# Early endings are checked after every turn; final endings are tried in order on the last turn, and
# the last one must have no `when`.

[[endings]]
id = "ousted"
title = "Ousted"
early = true
when = "approval < 25"
bonus = -30
epilogue = "Parliament votes you out in {date}, with approval at {approval}%."

[[endings]]
id = "friends_with_both"
title = "Friends with both"
when = "pact_ties >= 55 and league_ties >= 45"
bonus = 15
epilogue = "Both the Pact and the League count Estaria a friend. Port Selan stands at '{lease}'."

[[endings]]
id = "muddling_through"
title = "Muddling through"
epilogue = "The year ends; ties with the Pact are {pact_ties.band}, and Port Selan stands at '{lease}'."

# ----------------------------------------------------------------------------------------------- score
# The score is the weighted sum of these components, plus the ending's bonus.

[[score]]
id = "stability"
label = "Stability"
value = "approval"
weight = 0.4

[[score]]
id = "standing"
label = "Standing abroad"
value = "min(pact_ties, league_ties + 15)"  # neglecting either power costs you
weight = 0.4

[[score]]
id = "prosperity"
label = "Prosperity"
value = "treasury / 2"
weight = 0.2
'''


# ``manila new NAME --full``: the same crisis grown into a tour of every section of the format and of every
# format-2 feature. It too validates, plays and lints clean (tests/test_authoring.py).
_FULL_TEMPLATE = r'''# -------------------------------------------------------------------------------------------------
# @TITLE@: a complete starter scenario written by `manila new --full`.
#
# The same small crisis as `manila new` writes (a port lease offered by one power and opposed by another),
# grown to show every section of the format: factions, standing rules, a hidden meter, an escalation
# ladder, chance branches, dated events, a glossary, history notes, advisers, and the format-2 features
# (memory of what happened, text that follows the state, options that appear only when they apply, hints,
# chances each month, effects that end by themselves, faction weights that change, scores over the term).
# It validates, plays and lints clean; change one thing at a time and run `manila validate` as you go.
#
#   manila validate @ID@.toml     every problem at once, as FILE:LINE: key.path: message
#   manila lint @ID@.toml         what is valid but probably wrong, and why
#   manila sim @ID@.toml --trace approval      a meter over time, and the months with nothing to decide
#   manila balance @ID@.toml      every built-in policy: a dominant strategy, a side that never ends well
#   manila play @ID@.toml --watch play while you edit: the game reloads when you save
#
# The format is described in docs/scenario-format.md (read its box "Things you might assume wrongly");
# docs/authoring.md walks through writing a scenario.
# ----------------------------------------------------------------------------------------------------

format = 2                                  # format 2: memory, conditional text, visible, chance, lasting ...

[scenario]
id = "@ID@"
title = "@TITLE@"
summary = """
A consortium from the Eastern League offers to lease Port Selan for twenty-five years and rebuild it. \
The Ocean Pact, your treaty partner, calls the port a security risk in foreign hands. The dockers want \
their back pay, the army wants a say, and you have one year.
"""
role = "President of Estaria"
start = "2030-01"
turns = 12
unit = "month"
decisions = 1                               # one decision a month; two dated ones in a month both happen
sides = ["pro_pact", "pro_league"]          # the sides policies and `manila balance` play for
version = "1"
authors = ["Your name"]

# ---------------------------------------------------------------------------------------------- meters
# Labels show in full up to 25 characters, bands up to 10, stages up to 20 (lint warns beyond).

[meters.pact_ties]
label = "Ties with the Ocean Pact"
description = "How the treaty partner regards you: trade access, intelligence, patience."
start = [50, 60]
drift = "0.1 * (55 - pact_ties)"
bands = [
  { below = 30, label = "hostile" },
  { below = 50, label = "cool" },
  { below = 70, label = "warm" },
  { label = "close" },
]

[meters.league_ties]
label = "Ties with the League"
start = 40
drift = "0.1 * (40 - league_ties)"
bands = [{ below = 35, label = "distant" }, { below = 60, label = "cordial" }, { label = "close" }]

[meters.approval]
label = "Public approval"
format = "percent"
start = [50, 60]
bands = [{ below = 30, label = "angry" }, { below = 50, label = "restless" }, { label = "content" }]

[meters.treasury]
label = "Treasury"
format = "money"
unit = "M"
max = 200
start = 60
drift = 2                                   # monthly revenue

[meters.pact_resolve]
label = "Pact resolve"
description = "How far the Pact is ready to go over the port. You see only your analysts' estimate."
hidden = true                               # the player sees an estimate, never the value
noise = 15                                  # the estimate is the value +- up to 15, shown as a range
start = [30, 70]

# -------------------------------------------------------------------------------------------- factions
# Factions' support runs from 0 to 100; `support` is their weighted mean.

[factions.dockers]
label = "Dockers"
start = [40, 60]
weight = "if(lease >= 3, 2, 1)"             # format 2: once the port is rebuilt, the dockers count double

[factions.business]
label = "Business"
start = 55
weight = 1

[factions.army]
label = "Army"
start = 60
weight = 1
drift = "0.05 * (60 - army)"

# ----------------------------------------------------------------------------------------------- flags
[flags.lease]
label = "Port lease"
max = 3
stages = ["none", "talks", "signed", "rebuilt"]

[flags.pact_pressure]
label = "Pact pressure"
max = 3
ladder = true                               # shown as an escalation ladder
stages = ["calm", "concern", "formal protest", "sanctions"]

# -------------------------------------------------------------------------------------------- glossary
[glossary]
"Ocean Pact" = "Estaria's treaty partner: a defence alliance of maritime democracies."
"Eastern League" = "A trade bloc whose state companies build and run ports abroad."

# --------------------------------------------------------------------------------------------- history
# What really happened, month by month: shown beside the player's own choices at the end. A fictional
# crisis can say what the crisis it is modelled on did.
[history]
"2030-03" = "In the crisis this starter is modelled on, the government opened talks within three months."

# ----------------------------------------------------------------------------------------------- rules
[[rules]]
id = "mood_follows_support"
label = "The mood follows the factions"
effects = { approval = "0.1 * (support - approval)" }

[[rules]]
id = "pact_escalates"
label = "The Pact escalates while the lease stands"
when = "lease >= 2 and pact_pressure < 3 and since(lease_contract.sign) >= 2"   # memory: two months after signing
effects = { pact_pressure = 1 }

[[rules]]
id = "sanctions_bite"
label = "Sanctions bite"
when = "pact_pressure == 3"
follow = [{ event = "pact_sanctions", after = 1 }]

# ---------------------------------------------------------------------------------------------- events
[[events]]
id = "lease_offer"
title = "An offer for Port Selan"
text = """
The League's consortium offers to lease Port Selan and rebuild it at its own cost. The Pact's ambassador \
asks to see you before you answer. Relations with the Pact are {pact_ties.band}.
"""
date = "2030-01"                            # a dated event: fires on its date if its `when` holds then
once = true

  [[events.options]]
  id = "open_talks"
  label = "Open talks with the consortium."
  outcome = "The consortium is delighted. The Pact's ambassador asks what exactly is being discussed."
  tags = ["pro_league"]
  effects = { league_ties = 8, pact_ties = -5, pact_resolve = 5 }
  set = { lease = 1 }
  follow = [{ event = "pact_warning", after = 1 }]

  [[events.options]]
  id = "refuse"
  label = "Refuse, and ask the Pact to help rebuild the port instead."
  outcome = "The Pact is pleased, and promises to see what it can do."
  tags = ["pro_pact"]
  effects = { pact_ties = 5, league_ties = -6, dockers = -3 }
  follow = [{ event = "pact_offer", after = 2 }]

  [[events.options]]
  id = "wait"
  label = "Say nothing yet."
  effects = { approval = -1 }
  follow = [{ event = "lease_offer_again", after = 2 }]

[[events]]
id = "lease_offer_again"
title = "The consortium asks again"
text = """
{one of: The consortium's envoy is polite. | The consortium's envoy is brisk.} It is {date}; the offer \
still stands.
"""
weight = 0                                  # never drawn at random: only as a follow-up
when = "lease == 0"

  [[events.options]]
  id = "open_talks"
  label = "Open talks now."
  tags = ["pro_league"]
  effects = { league_ties = 6, pact_ties = -5 }
  set = { lease = 1 }
  follow = [{ event = "pact_warning", after = 1 }]

  [[events.options]]
  id = "refuse"
  label = "Refuse for good."
  tags = ["pro_pact"]
  effects = { pact_ties = 4, league_ties = -6 }

[[events]]
id = "pact_warning"
title = "A warning from the Pact"
# format 2: text that follows the state, and memory of how often this came before
text = """
{if fired(pact_warning) > 1: The Pact's ambassador is back ({= fired(pact_warning)} visits now). | \
The Pact's ambassador asks to see you.} A leased port, she says, would change what the Pact shares with Estaria.
"""
weight = 0
cooldown = 2                                # format 2: holds for follow-ups too (format 1: random draws only)

  [[events.options]]
  id = "reassure"
  label = "Reassure her: nothing is signed."
  tags = ["pro_pact"]
  effects = { pact_ties = 3 }

    [[events.options.branches]]             # a chance branch: one uniform draw decides
    chance = 0.3
    text = "She is not reassured, and says so to the press."
    effects = { pact_ties = -6, approval = -2 }

  [[events.options]]
  id = "defy"
  label = "\"Estaria leases its ports to whom it likes.\""
  outcome = "The crowd cheers. The Pact does not."
  tags = ["pro_league"]
  effects = { approval = 5, pact_ties = -8, pact_resolve = 10 }

  [[events.options]]
  id = "leak"
  label = "Let the League know what she said."
  hint = "The Pact's hawks will hear of it."  # format 2: every effect is hidden, so say something
  tags = ["pro_league"]
  effects = { pact_resolve = 15 }

[[events]]
id = "lease_contract"
title = "The lease contract"
text = "The consortium sends a contract: twenty-five years, and a signing payment of 40 million."
when = "lease == 1"
weight = 3
once = true

  [[events.options]]
  id = "sign"
  label = "Sign, and bank the signing payment."
  tags = ["pro_league"]
  effects = { treasury = 40, league_ties = 6, pact_ties = -10 }
  set = { lease = 2 }
  follow = [{ event = "rebuilt", after = 4 }]

  [[events.options]]
  id = "cancel"
  label = "Walk away from the talks."
  tags = ["pro_pact"]
  effects = { league_ties = -8, pact_ties = 4 }
  set = { lease = 0 }

[[events]]
id = "rebuilt"
title = "Port Selan reopens"
text = "The rebuilt port reopens with new cranes and a thousand new jobs."
when = "lease == 2"
weight = 0
effects = { approval = 6, treasury = 10, dockers = 10 }   # news: no options, no decision slot
set = { lease = 3 }

[[events]]
id = "pact_offer"
title = "The Pact's offer"
text = "The Pact offers a loan to rebuild the port, if it stays out of foreign hands."
when = "lease == 0"
weight = 0

  [[events.options]]
  id = "accept"
  label = "Accept the loan, and its austerity conditions."
  tags = ["pro_pact"]
  effects = { pact_ties = 6, treasury = 30 }
  # format 2: changes that end by themselves: austerity for four months, then the approval comes back
  lasting = { turns = 4, label = "Austerity conditions", effects = { approval = -4, business = 4 } }

  [[events.options]]
  id = "decline"
  label = "Decline: Estaria will not be told how to run its ports."
  tags = ["pro_league"]
  effects = { approval = 3, pact_ties = -4 }

[[events]]
id = "pact_review"
title = "The Pact's review"
text = "The Pact's council reviews its ties with Estaria. Pressure stands at: {pact_pressure}."
date = "2030-06"                            # the same month as the budget: format 2 opens a second slot
when = "pact_pressure >= 1 or lease >= 1"

  [[events.options]]
  id = "send_envoy"
  label = "Send an envoy to the council, at 10 million."
  tags = ["pro_pact"]
  cost = { treasury = 10 }                  # unavailable when the treasury cannot pay
  effects = { pact_ties = 5, pact_pressure = -1 }

  [[events.options]]
  id = "ignore"
  label = "Ignore it."
  tags = ["pro_league"]
  effects = { pact_ties = -3 }

[[events]]
id = "budget"
title = "The budget"
text = "Parliament votes on the budget. The treasury holds {treasury} million."
date = "2030-06"
once = true

  [[events.options]]
  id = "spend"
  label = "Spend on the docks."
  effects = { treasury = -20, dockers = 8, approval = 2 }

  [[events.options]]
  id = "save"
  label = "Save for a rainy day."
  effects = { business = 4, dockers = -4 }

[[events]]
id = "dock_strike"
title = "Dock strike"
text = "{if fired(dock_strike) > 1: The dockers strike again. | Port Selan's dockers strike for back pay.}"
# format 2: a chance each month (more likely when the dockers are unhappy), at most three strikes a game
chance = "clamp((55 - dockers) / 100, 0.05, 0.3)"
max_fires = 3

  [[events.options]]
  id = "pay"
  label = "Pay the back wages."
  cost = { treasury = 15 }
  effects = { dockers = 10, approval = 2 }

  [[events.options]]
  id = "wait_out"
  label = "Wait it out."
  effects = { dockers = -4 }

    [[events.options.branches]]
    chance = "0.6 - approval / 200"         # chances may be expressions
    text = "The strike spreads to the railways."
    effects = { approval = -6, treasury = -5, business = -4 }

  [[events.options]]
  id = "send_army"
  label = "Send the army to run the port."
  visible = "fired(dock_strike) >= 2"       # format 2: offered only from the second strike on
  hint = "The army will want something back."
  effects = { dockers = -10, army = 6, business = 3, approval = -3 }

[[events]]
id = "summit"
title = "A regional summit"
text = """
{one of: The hall is cold. | The hall is packed. | The interpreters are late.} Both powers are here. \
Whom do you meet first?
"""
weight = "2 / (1 + fired(summit))"          # format 2 memory: each summit makes the next less likely
cooldown = 2

  [[events.options]]
  id = "pact_first"
  label = "The Pact's delegation."
  tags = ["pro_pact"]
  effects = { pact_ties = 4, league_ties = -2 }

  [[events.options]]
  id = "league_first"
  label = "The League's delegation."
  tags = ["pro_league"]
  effects = { league_ties = 4, pact_ties = -2 }

  [[events.options]]
  id = "home"
  label = "Stay home and open a school."
  effects = { approval = 2, pact_ties = -1, league_ties = -1 }

[[events]]
id = "pact_sanctions"
title = "Pact sanctions"
text = "The Pact restricts Estaria's exports while the lease stands."
weight = 0
cooldown = 2
effects = { treasury = -8, business = -5 }

  [[events.branches]]                       # a news event can go one way or another too
  chance = 0.5
  text = "The League buys what the Pact will not."
  effects = { league_ties = 3, treasury = 4 }

# --------------------------------------------------------------------------------------------- endings
[[endings]]
id = "ousted"
title = "Ousted"
early = true
when = "approval < 40"
bonus = -20
epilogue = "Parliament votes you out in {date}, with approval at {approval}%."

[[endings]]
id = "friends_with_both"
title = "Friends with both"
when = "pact_ties >= 55 and league_ties >= 45"
bonus = 15
epilogue = """
Both the Pact and the League count Estaria a friend. Port Selan stands at \
'{lease}'{if pact_resolve > 60: ; the Pact, it turns out, had been ready to go much further}.
"""

[[endings]]
id = "muddling_through"
title = "Muddling through"
epilogue = """
The year ends; ties with the Pact are {pact_ties.band}, and Port Selan stands at \
'{lease}'{if chosen(lease_contract.sign) > 0: ; the lease, signed {= since(lease_contract.sign)} months ago, runs on}.
"""
history = "Most governments in this position muddled through, and kept the port's future open."

# ----------------------------------------------------------------------------------------------- score
[[score]]
id = "stability"
label = "Stability over the year"
value = "approval"
weight = 0.4
over = "term"                               # format 2: the mean after every month, not the last day

[[score]]
id = "standing"
label = "Standing abroad"
value = "min(pact_ties, league_ties + 15)"
weight = 0.4
over = "term"

[[score]]
id = "prosperity"
label = "Prosperity"
value = "treasury / 2"
weight = 0.2

# -------------------------------------------------------------------------------------------- advisers
[advice]
consultations = 4                           # times a game the player can ask (key 'a')

[[advisers]]
id = "envoy"
name = "Ilse Maro"
title = "Foreign Minister"
leaning = "Keeps both capitals talking; a quarrel with either is a cost she counts twice."
weights = { standing = 3, score = 1 }

[[advisers]]
id = "treasurer"
name = "Dov Arden"
title = "Finance Minister"
leaning = "Counts the money first, and the dockers' votes second."
weights = { prosperity = 3, dockers = 0.2, score = 1 }
'''
