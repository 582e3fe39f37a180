"""Sports: an admin creates a category and a game and records its events; scores move on open
pages without a reload, followers of a team hear of it, and the game has its chatroom."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from playwright.async_api import Page, expect

from agora.entrypoints.embedded import Platform
from agora.platform.clock import ManualClock
from agora.platform.deps import registered
from agora.services.warehouse.service import WarehouseService
from tests.e2e.browser.axe import violations
from tests.e2e.browser.conftest import OpenPerson
from tests.e2e.browser.ui import (
    BROKEN_WORDS,
    PHONE,
    WAIT_MS,
    Person,
    local_input,
    log_in,
    screenshot,
    sign_up,
)
from tests.services.sports.support import Sports
from tests.support.api import Account, Api


async def record(admin: Person, event_type: str, team: str | None = None) -> None:
    page = admin.page
    await page.get_by_label("What happened", exact=True).select_option(event_type)
    if team is not None:
        await page.get_by_label("Team", exact=True).select_option(label=team)
    await page.get_by_role("button", name="Record event").click()
    await expect(page.get_by_text("Recorded: ")).to_be_visible(timeout=WAIT_MS)


async def test_scores_move_live_and_team_followers_hear_of_them(
    open_person: OpenPerson, clock: ManualClock, ui_platform: Platform, screenshots: Path
) -> None:
    ada = await open_person("ada")
    await sign_up(ada)
    ben = await open_person("ben")
    await sign_up(ben)

    await ada.goto("/sports")
    page = ada.page
    await page.get_by_role("button", name="New category").click()
    await page.get_by_label("Category name", exact=True).fill("Football")
    await page.get_by_role("button", name="Add category").click()
    await expect(page.get_by_text('"Football" is added.')).to_be_visible(timeout=WAIT_MS)
    await page.get_by_role("button", name="New game").click()
    await page.get_by_label("Category", exact=True).select_option(label="Football")
    await page.get_by_label("Home team", exact=True).fill("Harbour FC")
    await page.get_by_label("Away team", exact=True).fill("Harbour FC")
    await page.get_by_label("Starts", exact=True).fill(local_input(clock.now()))
    await page.get_by_role("button", name="Create game").click()
    await expect(page.locator(".form-error")).to_contain_text(
        "The home team and the away team must be different teams", timeout=WAIT_MS
    )
    await page.get_by_label("Away team", exact=True).fill("Hill United")
    await page.get_by_role("button", name="Create game").click()
    await expect(page.get_by_role("heading", name="Harbour FC v Hill United")).to_be_visible(
        timeout=WAIT_MS
    )
    game_url = page.url

    # Ben watches the game and follows the home team.
    await ben.page.goto(game_url)
    await expect(ben.page.get_by_test_id("score")).to_have_text("0 – 0", timeout=WAIT_MS)
    await expect(ben.page.get_by_role("button", name="Record event")).to_have_count(0)
    await ben.page.get_by_role("button", name="Follow Harbour FC").click()
    await expect(ben.page.get_by_role("button", name="Unfollow Harbour FC")).to_be_visible(
        timeout=WAIT_MS
    )
    await ui_platform.settle()

    await record(ada, "period_start")
    await expect(ben.page.get_by_test_id("scoreboard")).to_contain_text("Live", timeout=WAIT_MS)
    await record(ada, "goal", "Harbour FC")
    await expect(ben.page.get_by_test_id("score")).to_have_text("1 – 0", timeout=WAIT_MS)
    await expect(ben.page.get_by_test_id("events")).to_contain_text("Goal for Harbour FC")
    await expect(ben.page.get_by_test_id("unread-count")).to_have_text("1", timeout=WAIT_MS)

    # The game's chatroom.
    ada_message = page.get_by_label("Message", exact=True)
    await expect(ada_message).to_be_visible(timeout=WAIT_MS)
    await expect(ben.page.get_by_label("Message", exact=True)).to_be_visible(timeout=WAIT_MS)
    await expect(ben.page.locator(".presence")).to_contain_text("ada", timeout=WAIT_MS)
    await ada_message.fill("What a strike!")
    await ada_message.press("Enter")
    await expect(ben.page.get_by_role("log")).to_contain_text("What a strike!", timeout=WAIT_MS)
    await record(ada, "goal", "Hill United")
    await expect(ben.page.get_by_test_id("score")).to_have_text("1 – 1", timeout=WAIT_MS)
    await screenshot(ben.page, screenshots, "game")

    # The sports page: the live card moves too, and the analytics are drawn.
    await ben.goto("/sports")
    card = ben.page.get_by_test_id("score-card").filter(has_text="Harbour FC")
    await expect(card.get_by_test_id("score")).to_have_text("1 – 1", timeout=WAIT_MS)
    await record(ada, "goal", "Harbour FC")
    await expect(card.get_by_test_id("score")).to_have_text("2 – 1", timeout=WAIT_MS)
    # Score news of one game collapses into one unread notification that keeps the latest score.
    await expect(ben.page.get_by_test_id("toasts")).to_contain_text(
        "Harbour FC 2–1 Hill United", timeout=WAIT_MS
    )
    await expect(ben.page.get_by_test_id("unread-count")).to_have_text("1")
    # The analytics come from the warehouse: drawn once its next refresh has run.
    await expect(ben.page.get_by_test_id("analytics-as-of")).to_contain_text("Not computed yet")
    await registered(ui_platform.runtimes["warehouse"].app, WarehouseService).do_refresh()
    await ben.page.reload()
    await expect(ben.page.get_by_role("img", name="Top teams by average score")).to_be_visible(
        timeout=WAIT_MS
    )
    await expect(ben.page.get_by_role("img", name="Top teams by average score")).to_have_attribute(
        "aria-label", "Top teams by average score: Harbour FC 2, Hill United 1"
    )
    await screenshot(ben.page, screenshots, "sports")

    phone = await open_person("ben", viewport=PHONE)
    await log_in(phone)
    await phone.page.goto(game_url)
    await expect(phone.page.get_by_test_id("score")).to_have_text("2 – 1", timeout=WAIT_MS)
    await expect(phone.page.get_by_role("log")).to_contain_text("What a strike!", timeout=WAIT_MS)
    await screenshot(phone.page, screenshots, "game-phone")


# The rendered size of every chart text: its CSS font size times the SVG's scale on the screen.
CHART_FONT_SIZES = """() => [...document.querySelectorAll('svg.chart text')].map(
  (t) => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)"""
TICKS = """(ts) => ts.map((t) => ({
  text: t.textContent, seconds: Number(t.dataset.seconds), x: Number(t.getAttribute('x'))}))"""
# Team names and the timeline's lines: no word may be cut in two there.
SPORTS_TEXT = ".scoreline .team, .timeline .tl-body"
CHANGES = """(cs) => cs.map((c) => ({
  seconds: Number(c.dataset.seconds), x: Number(c.getAttribute('cx'))}))"""
# The chart has been drawn again at the width of its frame.
CHART_FITS = """() => {
  const frame = document.querySelector('.chart-frame');
  const svg = frame && frame.querySelector('svg');
  const width = Math.floor(frame.getBoundingClientRect().width);
  return svg && Number(svg.getAttribute('width')) === width;
}"""
PHONES = (390, 360, 320)
START_B = "2026-06-15T09:00:00Z"
START_A = "2026-06-15T10:30:00Z"


async def _chart_is_on_a_time_axis(page: Page) -> list[str]:
    """The x axis ticks are minutes since kick-off at a round step, and every score change sits
    where its time falls on that axis (not at its index among the events). Returns the labels."""
    chart = page.get_by_test_id("score-chart")
    ticks = await chart.locator("text.tick").evaluate_all(TICKS)
    assert len(ticks) >= 2, ticks
    step = ticks[1]["seconds"] - ticks[0]["seconds"]
    assert ticks[0]["seconds"] == 0, ticks
    assert step >= 60, ticks
    for i, tick in enumerate(ticks):
        assert re.fullmatch(r"\d+'", tick["text"]), tick
        assert tick["seconds"] == i * step, ticks
        assert int(tick["text"][:-1]) * 60 == tick["seconds"], tick
    x0, last = ticks[0]["x"], ticks[-1]
    per_second = (last["x"] - x0) / last["seconds"]
    changes = await chart.locator("circle.change").evaluate_all(CHANGES)
    assert changes, "no score change drawn"
    for change in changes:
        assert abs(change["x"] - (x0 + per_second * change["seconds"])) < 0.6, (change, ticks)
    return [tick["text"] for tick in ticks]


async def _end_labels_apart(page: Page) -> None:
    """The two final values at the end of the chart do not overlap."""
    labels = page.get_by_test_id("score-chart").locator("g.end-label")
    await expect(labels).to_have_count(2)
    one, two = await labels.nth(0).bounding_box(), await labels.nth(1).bounding_box()
    assert one is not None
    assert two is not None
    apart = (
        one["y"] + one["height"] <= two["y"]
        or two["y"] + two["height"] <= one["y"]
        or one["x"] + one["width"] <= two["x"]
        or two["x"] + two["width"] <= one["x"]
    )
    assert apart, f"end labels overlap: {one} {two}"


async def _timeline(page: Page) -> list[tuple[str, str, str]]:
    items = page.get_by_test_id("timeline-item")
    rows: list[tuple[str, str, str]] = []
    for item in await items.all():
        time = await item.locator(".tl-time [aria-hidden]").inner_text()
        kind = await item.locator(".tl-kind").inner_text()
        score = await item.get_by_test_id("timeline-score").text_content()
        assert score is not None
        rows.append((time, kind.capitalize(), score.replace(", score ", "").strip()))
    return rows


async def test_game_page_timeline_time_axis_and_phone_readable_charts(
    open_person: OpenPerson,
    base_url: str,
    clock: ManualClock,
    ui_platform: Platform,
    screenshots: Path,
) -> None:
    minute = 60.0
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as client:
        api = Api(client)
        ada = await api.register("ada")  # the first account is the admin
        sports = Sports(client)

        async def admin() -> Account:
            """Ada logged in again: the clock moves past her token's lifetime."""
            return await api.login("ada")

        async def event(game: str, **body: str) -> None:
            await sports.event(await admin(), game, **body)

        football = await sports.category(ada, "Football")
        # Game B: a draw, the away team scoring last.
        b = await sports.live_game(
            await admin(), football, team_1="Early Rovers", team_2="Dawn City", start_time=START_B
        )
        for gap, side in ((5, "team_1"), (15, "team_2"), (20, "team_2"), (48, "team_1")):
            clock.advance(gap * minute)
            await event(b, event_type="goal", team=side)
        # A feed's own clock label is shown as it is.
        await event(b, event_type="final", event_time="90+2'")
        # Game A: team 2 comes back to lead; its last events arrive while the page is open.
        a = await sports.live_game(
            await admin(),
            football,
            team_1="Mesa Mountaineers",
            team_2="Harbor Town FC",
            start_time=START_A,
        )
        clock.advance(10 * minute)
        await event(a, event_type="goal", team="team_1")
        clock.advance(15 * minute)
        await event(
            a, event_type="card", team="team_2", description="Yellow card, #4 (Harbor Town)"
        )
        clock.advance(20 * minute)
        await event(a, event_type="goal", team="team_2")
        # For the schedule: one game live, three to come (the soonest created first, the others
        # latest first), and more scheduled later than any list of recent games holds.
        await sports.game(
            await admin(), football, "First Light", "Early Birds", start_time="2026-06-15T18:00:00Z"
        )
        await sports.live_game(await admin(), football, team_1="Quick Kickers", team_2="Slow Pokes")
        for teams in (
            ("Late United", "Dusk FC", "2026-06-20"),
            ("Soon Athletic", "Next Town", "2026-06-16"),
        ):
            await sports.game(
                await admin(), football, *teams[:2], start_time=f"{teams[2]}T18:00:00Z"
            )
        for week in range(15):
            await sports.game(
                await admin(),
                football,
                f"Autumn {week}",
                "Away",
                start_time=f"2026-09-{week + 1:02d}T18:00:00Z",
            )

        watcher = await open_person("watcher")
        page = watcher.page
        await watcher.goto(f"/sports/games/{a}")
        await expect(page.get_by_test_id("score")).to_have_text("1 – 1", timeout=WAIT_MS)
        await expect(page.get_by_test_id("timeline-item")).to_have_count(4)
        clock.advance(25 * minute)
        await event(a, event_type="goal", team="team_2")
        clock.advance(5 * minute)
        await event(a, event_type="final")

    # The timeline moves live, in time order, each event with its minute, kind and running score.
    await expect(page.get_by_test_id("score")).to_have_text("1 – 2", timeout=WAIT_MS)
    await expect(page.get_by_test_id("timeline-item")).to_have_count(6, timeout=WAIT_MS)
    assert await _timeline(page) == [
        ("0'", "Kick-off", "0–0"),
        ("10'", "Goal", "1–0"),
        ("25'", "Yellow card", "1–0"),
        ("45'", "Goal", "1–1"),
        ("70'", "Goal", "1–2"),
        ("75'", "Full time", "1–2"),
    ]
    timeline = page.get_by_role("list", name="Match timeline, earliest first")
    await expect(timeline.get_by_role("listitem")).to_have_count(6)
    # Each item reads as one sentence: minute, kind, team, what happened, score.
    spoken = re.sub(r"\s+([,:])", r"\1", await timeline.aria_snapshot())
    for line in (
        "minute 0, Kick-off: Start of 1st half, score 0–0",
        "minute 10, Goal, Mesa Mountaineers: Goal for Mesa Mountaineers, score 1–0",
        "minute 25, Yellow card, Harbor Town FC: Yellow card, #4 (Harbor Town), score 1–0",
        "minute 70, Goal, Harbor Town FC: Goal for Harbor Town FC, score 1–2",
    ):
        assert f'listitem: "{line}"' in spoken, spoken
    # Home team's events on the left, away team's on the right.
    home = await page.locator(".tl-home .tl-time").first.bounding_box()
    away = await page.locator(".tl-away .tl-time").first.bounding_box()
    assert home is not None
    assert away is not None
    assert home["x"] < away["x"]

    # The chart: a time axis (the late goal far to the right), end labels apart with team 2 ahead.
    await expect(page.get_by_role("img", name=re.compile("Score over the game"))).to_have_attribute(
        "aria-label",
        "Score over the game, 75 minutes after kick-off: Mesa Mountaineers 1, Harbor Town FC 2",
    )
    assert "70'" in await _chart_is_on_a_time_axis(page)
    await _end_labels_apart(page)
    await screenshot(page, screenshots, "game-timeline-1280")
    assert await violations(page) == []

    # On phones no chart text is drawn under 11 px, team names break between words only, the
    # end labels stay apart and the axis still counts minutes.
    for width in PHONES:
        await page.set_viewport_size({"width": width, "height": 800})
        await page.wait_for_function(CHART_FITS)
        if width in (390, 320):
            await screenshot(page, screenshots, f"game-timeline-{width}")
        sizes: list[float] = await page.evaluate(CHART_FONT_SIZES)
        assert sizes, width
        assert min(sizes) >= 11, (width, sizes)
        assert await page.evaluate(BROKEN_WORDS, SPORTS_TEXT) == [], width
        assert await page.evaluate("document.documentElement.scrollWidth") <= width
        await _chart_is_on_a_time_axis(page)
        await _end_labels_apart(page)
    assert await violations(page) == []

    # The draw: both final values at the same height, labels still apart.
    for width in (1280, 320):
        await page.set_viewport_size({"width": width, "height": 800})
        await watcher.goto(f"/sports/games/{b}")
        await expect(page.get_by_test_id("score")).to_have_text("2 – 2", timeout=WAIT_MS)
        await _chart_is_on_a_time_axis(page)
        await _end_labels_apart(page)
        assert [row[0] for row in await _timeline(page)] == [
            "0'",
            "5'",
            "20'",
            "40'",
            "88'",
            "90+2'",
        ]

    # The sports page: its charts readable on the narrowest phone, the schedule grouped Live,
    # Upcoming (soonest first) and Final (latest first).
    await registered(ui_platform.runtimes["warehouse"].app, WarehouseService).do_refresh()
    await watcher.goto("/sports")
    await expect(page.get_by_role("img", name=re.compile("Activity per category"))).to_be_visible(
        timeout=WAIT_MS
    )
    await page.wait_for_function(CHART_FITS)
    sizes = await page.evaluate(CHART_FONT_SIZES)
    assert sizes
    assert min(sizes) >= 11, sizes
    assert await page.evaluate(BROKEN_WORDS, SPORTS_TEXT) == []
    assert await page.evaluate("document.documentElement.scrollWidth") <= 320
    await screenshot(page, screenshots, "sports-charts-320")
    # Team names on the bar chart end (cut with "…" if need be) before their bars begin.
    overlaps = await page.get_by_role("img", name=re.compile("Top teams")).evaluate(
        """(svg) => [...svg.querySelectorAll('g')].filter((g) => {
          const name = g.querySelector('text.label').getBBox();
          return name.x + name.width > Number(g.querySelector('rect').getAttribute('x'));
        }).map((g) => g.textContent)"""
    )
    assert overlaps == []
    groups = page.locator(".schedule-group h3")
    await expect(groups).to_have_text(["Live", "Upcoming", "Final"])
    schedule = {
        name: page.get_by_test_id(f"schedule-{name}").locator("li a")
        for name in ("live", "upcoming", "final")
    }
    await expect(schedule["live"]).to_have_text(["Quick Kickers v Slow Pokes"])
    await expect(schedule["upcoming"]).to_have_text(
        [
            "First Light v Early Birds",
            "Soon Athletic v Next Town",
            "Late United v Dusk FC",
            *(f"Autumn {week} v Away" for week in range(5)),
        ]
    )
    await expect(schedule["final"]).to_have_text(
        ["Mesa Mountaineers v Harbor Town FC", "Early Rovers v Dawn City"]
    )
    assert await violations(page) == []
