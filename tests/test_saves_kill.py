"""``kill -9`` at random moments during saves never leaves a broken or missing save.

A driver runs in a fresh interpreter (so that forking is safe: no pytest threads, no hypothesis state). It
writes complete saves once, then repeatedly forks a writer that overwrites the named saves and the
autosave rotation in a tight loop, and kills it with SIGKILL after a random delay, hundreds of times.
After every kill the driver checks that each named save is present and parses with a valid checksum, and
that the newest autosave is never older than before the kill. At the end every save must load and verify
by replay. Temporary files left by killed writers show that kills did land mid-write.

SIGKILL leaves the page cache intact, so this tests the rename protocol, not the fsyncs (which only a
power cut would exercise).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from game.format.scenario import load_scenario
from game.play.session import GameSession
from game.saves import autosave_game, list_saves, load_save

ROOT = Path(__file__).resolve().parent.parent
KILLS = 400

DRIVER = textwrap.dedent("""
    import json, os, random, signal, sys, time
    from pathlib import Path
    from game.saves import autosave, read_save, save_stem, write_save
    from game.format.scenario import load_scenario
    from game.play.session import GameSession

    folder, scenario_path, kills = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    rng = random.Random(1234)
    scenario = load_scenario(scenario_path)
    game = GameSession(scenario, seed=7)
    points = [[]]
    while not game.over:
        game.choose(rng.choice([o.index for o in game.options() if o.available]))
        points.append(list(game.choices))
    sessions = [GameSession.replay(scenario, 7, 0, c) for c in points]  # the game at every turn
    names = ["Alpha", "beta game", "Gamma/3"]
    for name in names:
        write_save(sessions[0], name, directory=folder)
    autosave(sessions[0], folder)

    def writer(start):
        i = start
        while True:
            session = sessions[i % len(sessions)]
            write_save(session, names[i % len(names)], directory=folder)
            autosave(session, folder)
            i += 1

    def newest_autosave():
        return max(read_save(p).saved_at for p in folder.glob("autosave-*.json"))

    newest = newest_autosave()
    for k in range(kills):
        pid = os.fork()
        if pid == 0:
            try:
                writer(k)
            finally:
                os._exit(0)
        time.sleep(rng.uniform(0.0, 0.012))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        for name in names:
            read_save(folder / f"{save_stem(name)}.json")  # raises SaveError if missing or broken
        autos = list(folder.glob("autosave-*.json"))
        assert 1 <= len(autos) <= 3, autos
        now = newest_autosave()
        assert now >= newest, (k, now, newest)
        newest = now
    temps = len(list(folder.glob(".*.tmp")))
    print(json.dumps({"kills": kills, "temps": temps, "files": len(list(folder.glob("*.json")))}))
""")


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork and SIGKILL")
def test_sigkill_during_saves_loses_nothing(tmp_path):
    scen = tmp_path / "scen"
    (scen / "sources").mkdir(parents=True)
    shutil.copy(ROOT / "scenarios" / "tutorial.toml", scen / "tutorial.toml")
    shutil.copy(ROOT / "scenarios" / "sources" / "tutorial.txt", scen / "sources" / "tutorial.txt")
    folder = tmp_path / "saves"
    started = time.monotonic()
    command = [sys.executable, "-c", DRIVER, str(folder), str(scen / "tutorial.toml"), str(KILLS)]
    proc = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    stats = json.loads(proc.stdout.strip().splitlines()[-1])
    assert stats["kills"] == KILLS
    infos = list_saves(folder)
    names = {i.path.name for i in infos}
    autos = {n for n in names if n.startswith("autosave-")}
    assert names - autos == {"alpha.json", "beta-game.json", "gamma-3.json"}, names
    game = autosave_game(GameSession(load_scenario(scen / "tutorial.toml"), seed=7))
    assert autos and autos <= {f"autosave-{game}-{i}.json" for i in (1, 2, 3)}, names
    for info in infos:
        assert info.verified, (info.path, info.problem)
        load_save(info.path)  # and loadable through the public entry point
    elapsed = time.monotonic() - started
    print(f"{KILLS} kills in {elapsed:.1f}s; {stats['temps']} interrupted writes left temporary files")
