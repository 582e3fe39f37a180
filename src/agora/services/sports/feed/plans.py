"""How the demo feed's games go: each sport's events, planned from a random generator when a game
starts (`Sport.plan`). Pure: no I/O, so a seeded random always plans the same game."""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

MINUTE = 60.0


@dataclass(frozen=True, slots=True)
class Planned:
    """An event `at` seconds of game time after the start."""

    at: float
    body: dict[str, Any]


@dataclass
class _Plan:
    """A game's events as they are generated (kept in time order at the end)."""

    team_1: str
    team_2: str
    events: list[Planned] = field(default_factory=list)

    def add(self, at: float, event_type: str, **body: Any) -> None:
        self.events.append(Planned(at, {"event_type": event_type, **body}))

    def name(self, side: int) -> str:
        return self.team_1 if side == 1 else self.team_2

    def done(self) -> list[Planned]:
        return sorted(self.events, key=lambda p: p.at)


def _arrivals(rng: random.Random, per_minute: float, length_minutes: float) -> list[float]:
    """Minutes at which a Poisson process of this rate fires within the length."""
    times: list[float] = []
    moment = rng.expovariate(per_minute)
    while moment < length_minutes:
        times.append(moment)
        moment += rng.expovariate(per_minute)
    return times


def _clock(minutes: float) -> str:
    whole = int(minutes * 60)
    return f"{whole // 60:02d}:{whole % 60:02d}"


# ---------------------------------------------------------------- football

GOAL_KINDS = (
    "header from a corner",
    "low shot into the far corner",
    "penalty",
    "finish on the counter-attack",
    "volley from the edge of the box",
    "tap-in at the back post",
    "free kick over the wall",
)


def plan_football(rng: random.Random, team_1: str, team_2: str) -> list[Planned]:
    """Two halves of 45 minutes plus stoppage time, 15 minutes of half-time; about 2.7 goals."""
    plan = _Plan(team_1, team_2)
    strength = {1: rng.uniform(0.7, 1.3), 2: rng.uniform(0.7, 1.3)}
    start = 0.0
    for half, (label, base) in enumerate((("1st half", 0), ("2nd half", 45))):
        stoppage = rng.randint(1, 5)
        length = 45 + stoppage

        def minute(m: float, base: int = base) -> str:
            return f"{base + 45}+{math.ceil(m - 45)}'" if m > 45 else f"{base + int(m) + 1}'"

        plan.add(
            start,
            "period_start",
            period=label,
            event_time=f"{base}'",
            description=f"Kick-off, {label}",
        )
        for side in (1, 2):
            for m in _arrivals(rng, strength[side] * 1.35 / 90, length):
                plan.add(
                    start + m * MINUTE,
                    "goal",
                    team=f"team_{side}",
                    event_time=minute(m),
                    description=f"Goal for {plan.name(side)}: {rng.choice(GOAL_KINDS)}",
                )
            for m in _arrivals(rng, 1.9 / 90, length):
                colour = "Red" if rng.random() < 0.06 else "Yellow"
                plan.add(
                    start + m * MINUTE,
                    "card",
                    team=f"team_{side}",
                    event_time=minute(m),
                    description=f"{colour} card, #{rng.randint(2, 30)} ({plan.name(side)})",
                )
            if half == 1:
                for m in sorted(rng.uniform(10, 43) for _ in range(3)):
                    plan.add(
                        start + m * MINUTE,
                        "substitution",
                        team=f"team_{side}",
                        event_time=minute(m),
                        description=f"Substitution for {plan.name(side)}: "
                        f"#{rng.randint(12, 30)} on, #{rng.randint(2, 11)} off",
                    )
        end = start + length * MINUTE
        plan.add(
            end,
            "period_end",
            event_time=f"{base + 45}+{stoppage}'",
            description="Half-time" if half == 0 else "Full-time whistle",
        )
        start = end + 15 * MINUTE
    plan.add(end + 1, "final", event_time="FT")
    return plan.done()


# ---------------------------------------------------------------- basketball

SHOTS = ((2, "Two-pointer", 0.55), (3, "Three-pointer", 0.3), (1, "Free throw", 0.15))


def plan_basketball(rng: random.Random, team_1: str, team_2: str) -> list[Planned]:
    """Four 12-minute quarters (overtime while tied); about 110 points a team."""
    plan = _Plan(team_1, team_2)
    strength = {1: rng.uniform(0.9, 1.1), 2: rng.uniform(0.9, 1.1)}
    score = {1: 0, 2: 0}
    start = 0.0
    periods = [("Q1", 12.0, 2.0), ("Q2", 12.0, 15.0), ("Q3", 12.0, 2.0), ("Q4", 12.0, 2.0)]
    number = 0
    while number < len(periods):
        label, length, pause = periods[number]
        plan.add(
            start,
            "period_start",
            period=label,
            event_time=f"{label} {_clock(length)}",
            description=f"Start of {label}",
        )
        for side in (1, 2):
            for m in _arrivals(rng, strength[side] * 1.05, length):
                points, kind, _ = rng.choices(SHOTS, weights=[w for *_, w in SHOTS])[0]
                score[side] += points
                plan.add(
                    start + m * MINUTE,
                    "point",
                    team=f"team_{side}",
                    points=points,
                    event_time=f"{label} {_clock(length - m)}",
                    description=f"{kind} by {plan.name(side)}",
                )
        end = start + length * MINUTE
        plan.add(end, "period_end", event_time=f"{label} 00:00", description=f"End of {label}")
        number += 1
        if number == len(periods) and score[1] == score[2]:
            overtime = "OT" if number == 4 else f"{number - 3}OT"
            if number < 7:
                periods.append((overtime, 5.0, 2.0))
            else:
                # Ties this long are rare; settle it with a last free throw.
                side = rng.choice((1, 2))
                plan.add(
                    end - 1,
                    "point",
                    team=f"team_{side}",
                    points=1,
                    event_time=f"{label} 00:01",
                    description=f"Free throw by {plan.name(side)} at the buzzer",
                )
        start = end + pause * MINUTE
    plan.add(end + 1, "final", event_time="Final")
    return plan.done()


# ---------------------------------------------------------------- tennis


def plan_tennis(rng: random.Random, player_1: str, player_2: str) -> list[Planned]:
    """Best of three sets, a tie-break at 6–6; the score counts games won, one point a game."""
    plan = _Plan(player_1, player_2)
    edge = rng.uniform(-0.1, 0.1)  # how much better player 1 holds and breaks serve
    sets = {1: 0, 2: 0}
    now = 0.0
    server = rng.choice((1, 2))
    number = 0
    while max(sets.values()) < 2:
        number += 1
        label = f"Set {number}"
        plan.add(
            now,
            "period_start",
            period=label,
            event_time=f"{label}, 0–0",
            description=f"Start of {label}",
        )
        games = {1: 0, 2: 0}
        while True:
            tiebreak = games[1] == games[2] == 6
            now += rng.uniform(7, 12) * MINUTE if tiebreak else rng.uniform(3, 6) * MINUTE
            if tiebreak:
                winner = 1 if rng.random() < 0.5 + edge else 2
                how = "wins the tie-break"
            else:
                hold = 0.78 + (edge if server == 1 else -edge)
                winner = server if rng.random() < hold else 3 - server
                how = "holds serve" if winner == server else "breaks serve"
            games[winner] += 1
            server = 3 - server
            plan.add(
                now,
                "point",
                team=f"team_{winner}",
                points=1,
                event_time=f"{label}, {games[1]}–{games[2]}",
                description=f"{plan.name(winner)} {how} ({games[1]}–{games[2]})",
            )
            lead = abs(games[1] - games[2])
            if tiebreak or (max(games.values()) >= 6 and lead >= 2):
                break
        sets[winner] += 1
        plan.add(
            now + 1,
            "period_end",
            event_time=f"{label}, {games[1]}–{games[2]}",
            description=f"{plan.name(winner)} wins {label.lower()} {games[1]}–{games[2]}",
        )
        ended = now + 1
        now += 2 * MINUTE
    plan.add(
        ended + 1,
        "final",
        event_time="Match",
        description=f"Game, set and match {plan.name(winner)} ({sets[1]}–{sets[2]} in sets)",
    )
    return plan.done()


# ---------------------------------------------------------------- ice hockey

PENALTIES = ("tripping", "hooking", "slashing", "high-sticking", "interference", "roughing")


def plan_ice_hockey(rng: random.Random, team_1: str, team_2: str) -> list[Planned]:
    """Three 20-minute periods with 18-minute intermissions; sudden-death overtime, then a
    shootout whose winner is awarded one goal."""
    plan = _Plan(team_1, team_2)
    strength = {1: rng.uniform(0.8, 1.2), 2: rng.uniform(0.8, 1.2)}
    score = {1: 0, 2: 0}
    start = 0.0
    for number in (1, 2, 3):
        label = f"Period {number}"
        plan.add(
            start,
            "period_start",
            period=label,
            event_time=f"P{number} 00:00",
            description=f"Puck drop, period {number}",
        )
        for side in (1, 2):
            for m in _arrivals(rng, strength[side] * 3.0 / 60, 20):
                score[side] += 1
                plan.add(
                    start + m * MINUTE,
                    "goal",
                    team=f"team_{side}",
                    event_time=f"P{number} {_clock(m)}",
                    description=f"Goal for {plan.name(side)}",
                )
            for m in _arrivals(rng, 3.5 / 60, 20):
                plan.add(
                    start + m * MINUTE,
                    "card",
                    team=f"team_{side}",
                    event_time=f"P{number} {_clock(m)}",
                    description=f"Minor penalty (2 min), {rng.choice(PENALTIES)}, "
                    f"{plan.name(side)}",
                )
        end = start + 20 * MINUTE
        plan.add(
            end, "period_end", event_time=f"P{number} 20:00", description=f"End of period {number}"
        )
        start = end + (18 * MINUTE if number < 3 else 2 * MINUTE)
    if score[1] == score[2]:
        plan.add(
            start,
            "period_start",
            period="Overtime",
            event_time="OT 00:00",
            description="Sudden-death overtime",
        )
        first = {side: rng.expovariate(strength[side] * 0.09) for side in (1, 2)}
        side = min(first, key=lambda s: first[s])
        if first[side] < 5:
            end = start + first[side] * MINUTE
            plan.add(
                end,
                "goal",
                team=f"team_{side}",
                event_time=f"OT {_clock(first[side])}",
                description=f"Overtime winner for {plan.name(side)}",
            )
            plan.add(
                end + 1,
                "period_end",
                event_time=f"OT {_clock(first[side])}",
                description="End of overtime",
            )
        else:
            end = start + 5 * MINUTE
            plan.add(end, "period_end", event_time="OT 05:00", description="End of overtime")
            start = end + 2 * MINUTE
            plan.add(
                start, "period_start", period="Shootout", event_time="SO", description="Shootout"
            )
            winner = rng.choice((1, 2))
            end = start + rng.uniform(3, 6) * MINUTE
            plan.add(
                end,
                "goal",
                team=f"team_{winner}",
                event_time="SO",
                description=f"{plan.name(winner)} win the shootout",
            )
            plan.add(end + 1, "period_end", event_time="SO", description="End of shootout")
        end += 1
    plan.add(end + 1, "final", event_time="Final")
    return plan.done()


@dataclass(frozen=True, slots=True)
class Sport:
    """A category the feed plays: its teams and how a game of it goes."""

    category: str
    teams: tuple[str, ...]
    plan: Callable[[random.Random, str, str], list[Planned]]


SPORTS: tuple[Sport, ...] = (
    Sport(
        "Football",
        (
            "Northbridge United",
            "Riverside Rovers",
            "Ashford Athletic",
            "Kingsport City",
            "Harbor Town FC",
            "Eastfield Wanderers",
        ),
        plan_football,
    ),
    Sport(
        "Basketball",
        (
            "Capital Comets",
            "Bayview Tides",
            "Mesa Mountaineers",
            "Lakeshore Lynx",
            "Ironwood Forge",
            "Summit Falcons",
        ),
        plan_basketball,
    ),
    Sport(
        "Tennis",
        ("A. Moreau", "K. Novak", "L. Fischer", "S. Tanaka", "M. Rossi", "E. Lindqvist"),
        plan_tennis,
    ),
    Sport(
        "Ice Hockey",
        (
            "Frostburg Wolves",
            "Glacier Bay Kodiaks",
            "Pine Ridge Lumberjacks",
            "North Star Blizzard",
            "Timber Lake Moose",
            "Cold Harbor Icebreakers",
        ),
        plan_ice_hockey,
    ),
)
