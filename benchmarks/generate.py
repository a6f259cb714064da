"""A generator of large, valid stories for benchmarks (shared by every benchmark that needs one).

`generate_story(folder, nodes, seed)` writes a manifest and chapter files of 500 nodes each.
Every node has dated, two-paragraph text with `{variable}` interpolation, a conditional passage
and three choices, one of them conditional (shown locked); choices lead forward, so every
playthrough ends. The last node of each chapter's stretch is an ending.
"""

from __future__ import annotations

import random
import sys
from datetime import date, timedelta
from pathlib import Path

PER_FILE = 500
WORDS = ("the envoy waits in the cold corridor while telegrams arrive from Tokyo and Berlin "
         "nobody in the commissariat trusts the silence of the eastern border this spring").split()


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def generate_story(folder: Path, nodes: int, seed: int = 0) -> Path:
    """Write a story of `nodes` nodes into `folder` and return the folder."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.yaml"):
        old.unlink()
    start = date(1941, 3, 1)
    manifest = [
        "format: 1", "id: generated", f"title: Generated story of {nodes} nodes",
        "campaigns:", "  main:", "    title: Main", "    blurb: A generated campaign.",
        "    start: n0", "variables:",
        "  trust: {type: int, default: 0, min: -5, max: 5, label: Trust, show: true}",
        "  standing: {type: int, default: 3, min: 0, max: 10, label: Standing, show: true}",
        "  flag: {type: bool}", "  mood: {type: text, default: calm}", "events:",
    ]
    for e in range(20):
        d = start + timedelta(days=(e + 1) * (nodes - 1) // 20)  # the last on the last scene
        manifest += [f"  ev{e}:", f"    date: {d.isoformat()}", f"    title: Event {e}",
                     f"    happened: {_sentence(rng, 12)}", f"    weight: {e % 5 + 1}",
                     f"    holds: {'not flag' if e % 2 else 'trust > -5'}"]
    (folder / "story.yaml").write_text("\n".join(manifest) + "\n", encoding="utf-8")
    ending_every = 50
    for f in range(0, nodes, PER_FILE):
        out = [f"chapter: Chapter {f // PER_FILE + 1}", "nodes:"]
        for i in range(f, min(f + PER_FILE, nodes)):
            d = start + timedelta(days=i)
            out += [f"  n{i}:", f"    date: {d.isoformat()}", f"    place: Place {i % 37}",
                    f"    title: Scene {i}", "    text:",
                    f"      - {_sentence(rng, 14)} Trust stands at {{trust}}, standing at {{standing}}.",
                    "      - if: trust >= 2",
                    f"        text: {_sentence(rng, 10)} The mood is {{mood}}.",
                    f"      - {_sentence(rng, 18)}"]
            last = i == nodes - 1 or (i % ending_every == ending_every - 1 and i > nodes // 2)
            if last:
                out += ["    ending:", f"      title: Ending {i}",
                        f"      kind: {'historical' if i == nodes - 1 else 'diverged'}",
                        f"      epilogue: {_sentence(rng, 20)}"]
                continue
            targets = [min(i + k, nodes - 1) for k in (1, 2, 3)]
            out += ["    weight: 2", "    history:", f"      text: {_sentence(rng, 12)}",
                    "      sources: [Generated]", "    choices:",
                    f"      - text: {_sentence(rng, 6)}", f"        goto: n{targets[0]}",
                    "        historical: true", "        set: trust += 1",
                    f"      - text: {_sentence(rng, 6)} ({{trust}})", f"        goto: n{targets[1]}",
                    "        set: trust -= 1; standing += 1; mood = 'tense'",
                    f"      - text: {_sentence(rng, 6)}", f"        goto: n{targets[2]}",
                    f"        if: trust >= {rng.randint(-1, 2)} and standing < 9",
                    "        locked: You lack the standing for this.",
                    "        set: flag = not flag"]
        (folder / f"chapter{f // PER_FILE + 1:03d}.yaml").write_text("\n".join(out) + "\n", encoding="utf-8")
    return folder


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "generated-story")
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    print(generate_story(target, count))
