"""Every page, signed out and signed in (as the admin, who sees the most), passes axe-core with no
critical and no serious violation at desktop width, and the main ones at phone width too; each
page's screenshot at 1280 and 390 px lands in artifacts/screenshots/. On the way: the profile
offers preferences only for the kinds of notification Agora sends."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import httpx
from playwright.async_api import Page, expect

from agora.entrypoints.embedded import Platform
from agora.platform.clock import ManualClock
from tests.e2e.browser.axe import violations
from tests.e2e.browser.conftest import OpenPerson
from tests.e2e.browser.ui import BROKEN_WORDS, DESKTOP, PHONE, WAIT_MS, Person, log_in
from tests.services.sports.support import Sports
from tests.support.api import Account, Api

SIGNED_OUT = {
    "landing": "/bookclub",
    "login": "/login",
    "signup": "/signup",
    "competitions-out": "/competitions",
    "music-out": "/music",
    "sports-out": "/sports",
    "not-found": "/no/such/page",
}
SENT_KINDS = [
    "Send me notifications",
    "Likes on my entries",
    "Comments on my entries",
    "Replies to my comments and threads",
    "My places in results",
    "New entries where I subscribed",
    "Scores of teams I follow",
    "New followers",
    "News",
]
# Pages also checked at phone width.
MAIN = {"landing", "bookclub", "competition", "album", "timeline", "game", "sports"}


async def _seed(base_url: str, platform: Platform, clock: ManualClock) -> dict[str, str]:
    """A month of activity through the API: the routes of the pages that show it."""
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as client:
        api = Api(client)
        ada: Account = await api.register("ada")  # the first account is the admin
        ben = await api.register("ben")

        async def ok(method: str, path: str, who: Account, **body: object) -> dict[str, object]:
            response = await client.request(method, path, json=body or None, headers=who.headers)
            assert response.status_code < 300, f"{path}: {response.text}"
            data: dict[str, object] = response.json()
            return data

        book = await ok("POST", "/api/books", ada, title="Middlemarch", author="George Eliot")
        await ok("POST", "/api/books", ada, title="Piranesi", author="Susanna Clarke")
        await ok("POST", "/api/vote", ben, book_id=book["id"])
        await ok("POST", "/api/polls/current/close", ada)
        await platform.settle()
        thread = await ok("POST", "/api/discussion", ben, title="Dorothea", content="Was she?")
        await ok("POST", f"/api/discussions/{thread['thread_id']}/reply", ada, content="No.")
        now = clock.now()
        competition = await ok(
            "POST",
            "/api/competitions",
            ada,
            title="Winter stories",
            description="Up to 1000 words about snow.",
            start_date=(now - timedelta(hours=1)).isoformat(),
            end_date=(now + timedelta(days=2)).isoformat(),
        )
        cid = competition["competition_id"]
        entry = await ok(
            "POST", f"/api/competitions/{cid}/submit", ben, title="Snow", content="It fell."
        )
        await ok("POST", f"/api/competitions/{cid}/like/{entry['submission_id']}", ada)
        await ok(
            "POST",
            f"/api/competitions/{cid}/comment/{entry['submission_id']}",
            ada,
            content="Lovely.",
        )
        album = await ok(
            "POST",
            "/api/users-reviews/albums",
            ada,
            title="Kind of Blue",
            artist="Miles Davis",
            year=1959,
            genre="jazz",
        )
        await ok(
            "POST",
            "/api/users-reviews/reviews",
            ben,
            userId=str(ben.id),
            albumId=album["albumId"],
            rating=4.5,
            reviewText="Timeless.",
        )
        await ok("POST", "/api/tweets", ben, content="Reading Middlemarch tonight.")
        await ok("POST", f"/api/users/{ada.id}/follow", ada, followUserId=ben.id)
        sports = Sports(client)
        football = await sports.category(ada, "Football")
        game = await sports.live_game(
            ada, football, team_1="Mesa Mountaineers", team_2="Harbor Town FC"
        )
        # Created latest first: the schedule still lists the soonest first.
        for day, teams in ((20, ("Late United", "Dusk FC")), (17, ("Early Rovers", "Dawn City"))):
            await sports.game(ada, football, *teams, start_time=f"2026-06-{day}T18:00:00Z")
        await platform.settle()
    return {
        "bookclub": "/bookclub",
        "thread": f"/bookclub/threads/{thread['thread_id']}",
        "competitions": "/competitions",
        "competition": f"/competitions/{cid}",
        "music": "/music",
        "album": f"/music/albums/{album['albumId']}",
        "genre": "/music/genres/jazz",
        "timeline": "/timeline",
        "user": f"/users/{ben.id}",
        "sports": "/sports",
        "game": f"/sports/games/{game}",
        "notifications": "/notifications",
        "profile": "/profile",
        "insights": "/insights",
        "requests": "/admin/requests",
    }


async def _check(
    person: Person, page: Page, name: str, route: str, shots: Path, width: int
) -> list[str]:
    await person.goto(route, page)
    await expect(page.locator(".loading")).to_have_count(0, timeout=WAIT_MS)
    await page.screenshot(path=str(shots / f"{name}-{width}.png"), full_page=True)
    broken: list[str] = await page.evaluate(BROKEN_WORDS, ".scoreline .team")
    return [f"{route} at {width} px: team name broken mid-word: {word}" for word in broken] + [
        f"{route} at {width} px: {v['impact']} {v['id']} ({v['help']}): {v['nodes'][:4]}"
        for v in await violations(page)
    ]


async def test_every_page_passes_axe_core(
    open_person: OpenPerson,
    base_url: str,
    ui_platform: Platform,
    clock: ManualClock,
    screenshots: Path,
) -> None:
    routes = await _seed(base_url, ui_platform, clock)
    found: list[str] = []
    visitor = await open_person("visitor")
    visitor_phone = await open_person("visitor", viewport=PHONE)
    for name, route in SIGNED_OUT.items():
        found += await _check(visitor, visitor.page, name, route, screenshots, DESKTOP["width"])
        if name == "landing":
            # A visitor learns what Agora is and what is going on in it.
            welcome = visitor.page.get_by_test_id("welcome")
            await expect(welcome).to_contain_text("A community for people who read")
            await expect(welcome).to_contain_text("1 game live now")
            await expect(welcome.get_by_role("link", name="Join Agora")).to_be_visible()
        if name in MAIN:
            found += await _check(visitor_phone, visitor_phone.page, name, route, screenshots, 390)
    ada = await open_person("ada")
    await log_in(ada)
    ada_phone = await open_person("ada", viewport=PHONE)
    await log_in(ada_phone)
    for name, route in routes.items():
        found += await _check(ada, ada.page, name, route, screenshots, DESKTOP["width"])
        if name in MAIN:
            found += await _check(ada_phone, ada_phone.page, name, route, screenshots, 390)
        if name == "sports":
            # Live, then upcoming soonest first.
            live = ada.page.get_by_test_id("schedule-live")
            await expect(live).to_contain_text("Mesa Mountaineers v Harbor Town FC")
            upcoming = ada.page.get_by_test_id("schedule-upcoming").locator("li")
            await expect(upcoming).to_have_text([re.compile("Early Rovers"), re.compile("Late")])
        if name == "profile":
            # Preferences are offered for the kinds of notification Agora sends, and no other.
            form = ada.page.get_by_role("form", name="Notification preferences")
            await expect(form.locator("label.check")).to_have_text(SENT_KINDS)
    # On the narrowest phones every section stays in sight (no hidden scrolling strip).
    await ada_phone.page.set_viewport_size({"width": 320, "height": 640})
    for link in (
        await ada_phone.page.get_by_role("navigation", name="Sections").get_by_role("link").all()
    ):
        box = await link.bounding_box()
        assert box is not None
        section = await link.text_content()
        assert box["x"] >= 0, section
        assert box["x"] + box["width"] <= 320, section
    # The last page visited is the game: its scoreboard fits too.
    scoreboard = ada_phone.page.locator(".scoreboard .scoreline")
    overflow = await scoreboard.evaluate("(el) => el.scrollWidth - el.clientWidth")
    assert overflow <= 0, f"the scoreboard overflows by {overflow} px at 320 px"
    await ada_phone.page.screenshot(path=str(screenshots / "game-320.png"))
    assert found == [], "\n".join(found)
