"""Words and care (issue 18, point 6): times read relatively and keep themselves current with the
exact time on hover, square generated covers that differ per album, a star rating picked by
keyboard or mouse, and "Who to follow" on the home timeline."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

from playwright.async_api import Page, expect

from agora.entrypoints.embedded import Platform
from agora.platform.clock import ManualClock
from tests.e2e.browser.axe import violations
from tests.e2e.browser.conftest import OpenPerson
from tests.e2e.browser.ui import WAIT_MS, Person, screenshot, sign_up

MINUTE = 60_000  # the browser's clock counts milliseconds
HOUR = 60 * MINUTE


async def _follow(person: Person, username: str) -> None:
    await person.goto("/timeline")
    await person.page.get_by_label("Username starts with").fill(username)
    await person.page.get_by_role("button", name="Find").click()
    await (
        person.page.get_by_test_id("tweets")
        .or_(person.page.get_by_text("Nothing here"))
        .first.wait_for(timeout=WAIT_MS)
    )
    await (
        person.page.get_by_role("region", name="Find people")
        .get_by_role("button", name=f"Follow {username}")
        .click()
    )
    await expect(
        person.page.get_by_role("region", name="Find people").get_by_role(
            "button", name=f"Unfollow {username}"
        )
    ).to_be_visible(timeout=WAIT_MS)


async def test_times_read_relatively_and_keep_current(
    open_person: OpenPerson, clock: ManualClock
) -> None:
    ada = await open_person("ada")
    # The browser's clock starts where the platform's (manual) clock is, 20 seconds later.
    await ada.context.clock.install(time=clock.now() + timedelta(seconds=20))
    await sign_up(ada)
    await ada.goto("/timeline")
    page = ada.page
    await page.get_by_label("What's happening?").fill("First light over the harbour.")
    await page.get_by_role("button", name="Post", exact=True).click()
    tweet = page.get_by_test_id("tweet").filter(has_text="First light")
    time = tweet.locator("time")
    await expect(time).to_have_text("just now", timeout=WAIT_MS)
    # The exact moment is the element's machine-readable datetime and its title (hover, readers).
    assert await time.get_attribute("datetime") == "2026-06-15T09:00:00Z"
    assert await time.get_attribute("title") == "Monday, 15 June 2026 at 09:00"

    # Minutes pass: the time updates by itself, and only the time: the same post element stays
    # (nothing re-rendered the page) and a half-written post keeps its text.
    await tweet.evaluate("(el) => { el.dataset.marked = 'yes'; }")
    await page.get_by_label("What's happening?").fill("Half a thought")
    await ada.context.clock.fast_forward(5 * MINUTE)
    await expect(time).to_have_text("5 min ago", timeout=WAIT_MS)
    await ada.context.clock.fast_forward(2 * HOUR)
    await expect(time).to_have_text("2 hours ago", timeout=WAIT_MS)
    assert await tweet.get_attribute("data-marked") == "yes"
    await expect(page.get_by_label("What's happening?")).to_have_value("Half a thought")
    # The next morning it was yesterday; a few days on, a date.
    await ada.context.clock.fast_forward(22 * HOUR)
    await expect(time).to_have_text("yesterday", timeout=WAIT_MS)
    await ada.context.clock.fast_forward(72 * HOUR)
    await expect(time).to_have_text("15 Jun", timeout=WAIT_MS)


async def _add_album(page: Page, title: str, artist: str, genre: str) -> str:
    await page.get_by_role("button", name="Add an album").click()
    await page.get_by_label("Title", exact=True).fill(title)
    await page.get_by_label("Artist", exact=True).fill(artist)
    await page.get_by_label("Genre", exact=True).fill(genre)
    await page.get_by_role("button", name="Add album").click()
    await expect(page.get_by_role("heading", name=title)).to_be_visible(timeout=WAIT_MS)
    return page.url


async def _cover(page: Page) -> tuple[str, float, float]:
    cover = page.get_by_test_id("album-cover").first
    await expect(cover).to_be_visible(timeout=WAIT_MS)
    box = await cover.bounding_box()
    assert box is not None
    return str(await cover.get_attribute("data-design")), box["width"], box["height"]


async def test_generated_covers_are_square_and_differ_per_album(
    open_person: OpenPerson, screenshots: Path
) -> None:
    ada = await open_person("ada")
    await sign_up(ada)  # the first account is the admin: she may add albums
    images: list[str] = []
    ada.page.on("request", lambda r: images.append(r.url) if r.resource_type == "image" else None)
    await ada.goto("/music")
    albums = [
        ("Kind of Blue", "Miles Davis", "jazz"),
        ("Blue Train", "John Coltrane", "jazz"),
        ("Blue Lines", "Massive Attack", "trip-hop"),
    ]
    designs = {}
    for title, artist, genre in albums:
        await ada.goto("/music")
        url = await _add_album(ada.page, title, artist, genre)
        design, width, height = await _cover(ada.page)
        assert abs(width - height) < 1, (title, width, height)
        # The title's initials are on the cover; the same album draws the same cover again.
        initials = "".join(w[0] for w in title.split() if w.lower() != "of")
        await expect(ada.page.get_by_test_id("album-cover").first).to_contain_text(initials)
        await ada.page.goto(url)
        assert (await _cover(ada.page))[0] == design
        designs[title] = design
    assert len(set(designs.values())) == len(albums), designs

    await ada.goto("/music")
    covers = ada.page.get_by_test_id("albums").get_by_test_id("album-cover")
    await expect(covers).to_have_count(3, timeout=WAIT_MS)
    listed: list[str] = []
    for cover in await covers.all():
        box = await cover.bounding_box()
        assert box is not None
        assert abs(box["width"] - box["height"]) < 1, box
        listed.append(str(await cover.get_attribute("data-design")))
    assert sorted(listed) == sorted(designs.values())
    # No image is fetched but the site's logo: the covers are drawn in the page.
    assert [url for url in images if not url.endswith("/img/logo.svg")] == [], images
    await screenshot(ada.page, screenshots, "music-covers")


async def test_star_rating_by_keyboard_and_mouse(
    open_person: OpenPerson, screenshots: Path
) -> None:
    ada = await open_person("ada")
    await sign_up(ada)
    await ada.goto("/music")
    await _add_album(ada.page, "Kind of Blue", "Miles Davis", "jazz")
    page = ada.page
    group = page.get_by_role("group", name="Your rating")
    await expect(group).to_be_visible(timeout=WAIT_MS)
    # One radio button per half star, each named as people say it.
    await expect(group.get_by_role("radio")).to_have_count(10)
    for name in ("Half a star", "1 star", "3 stars", "4.5 stars", "5 stars"):
        await expect(group.get_by_role("radio", name=name, exact=True)).to_have_count(1)

    # No rating yet: the message sits by the stars, in words.
    await page.get_by_label("Your review", exact=True).fill("Timeless.")
    await page.get_by_role("button", name="Post review").click()
    await expect(group.locator(".field-error")).to_have_text(
        "This field is required", timeout=WAIT_MS
    )

    # The keyboard: Space picks the focused star, the arrow keys move the value.
    three = group.get_by_role("radio", name="3 stars", exact=True)
    await three.focus()
    await page.keyboard.press("Space")
    await expect(three).to_be_checked()
    await page.keyboard.press("ArrowRight")
    three_half = group.get_by_role("radio", name="3.5 stars", exact=True)
    await expect(three_half).to_be_checked()
    await expect(three_half).to_be_focused()
    await page.keyboard.press("ArrowLeft")
    await page.keyboard.press("ArrowLeft")
    await expect(group.get_by_role("radio", name="2.5 stars", exact=True)).to_be_checked()
    await expect(page.get_by_test_id("rating-value")).to_have_text("2.5 / 5")
    # The focused half star shows a focus ring (keyboard focus is visible).
    ring = await group.locator(".star-option:has(input:focus-visible)").evaluate(
        "(el) => getComputedStyle(el).outlineStyle"
    )
    assert ring == "solid"
    assert await violations(page) == []

    # The mouse: hovering previews, clicking picks.
    await group.locator(".star-option").nth(7).hover()  # the fourth star's right half
    await expect(group.locator(".star-option.on")).to_have_count(8)
    await group.get_by_role("radio", name="4 stars", exact=True).click()
    await expect(group.get_by_role("radio", name="4 stars", exact=True)).to_be_checked()
    await page.mouse.move(0, 0)
    await expect(group.locator(".star-option.on")).to_have_count(8)
    await screenshot(page, screenshots, "album-star-rating")
    await page.get_by_role("button", name="Post review").click()
    await expect(page.get_by_test_id("average")).to_have_text("4.0", timeout=WAIT_MS)

    # Editing starts from the review's rating; the keyboard changes it.
    await page.get_by_role("button", name="Edit review").click()
    edit = page.get_by_role("group", name="Your rating")
    await expect(edit.get_by_role("radio", name="4 stars", exact=True)).to_be_checked()
    await edit.get_by_role("radio", name="4 stars", exact=True).focus()
    await page.keyboard.press("ArrowRight")
    await page.get_by_role("button", name="Save review").click()
    await expect(page.get_by_test_id("average")).to_have_text("4.5", timeout=WAIT_MS)
    await screenshot(page, screenshots, "album-rated")


async def test_who_to_follow_on_the_home_timeline(
    open_person: OpenPerson, ui_platform: Platform, screenshots: Path
) -> None:
    ada = await open_person("ada")
    await sign_up(ada)
    ben = await open_person("ben")
    await sign_up(ben)
    cat = await open_person("cat")
    await sign_up(cat)
    await cat.goto("/timeline")
    await cat.page.get_by_label("What's happening?").fill("Cat's first post.")
    await cat.page.get_by_role("button", name="Post", exact=True).click()
    await expect(cat.page.get_by_test_id("tweets")).to_contain_text("Cat's first post.")
    await _follow(ben, "cat")  # Ben follows Cat...
    await _follow(ada, "ben")  # ...and Ada follows Ben.
    await ui_platform.settle()

    await ada.goto("/timeline")
    page = ada.page
    who = page.get_by_role("region", name="Who to follow")
    people = who.get_by_test_id("suggestion")
    # Not Ada herself, not Ben whom she follows; Cat first, followed by someone Ada follows.
    await expect(people).to_have_count(1, timeout=WAIT_MS)
    await expect(people.first).to_contain_text("cat")
    await expect(people.first).to_contain_text("Followed by 1 person you follow")
    home = page.get_by_role("region", name="Home")
    await expect(home).to_contain_text("Nothing here yet.")
    await screenshot(page, screenshots, "timeline-who-to-follow")

    await who.get_by_role("button", name="Follow cat").click()
    # The list updates at once (no one left to suggest) and the focus stays in it.
    await expect(people).to_have_count(0, timeout=WAIT_MS)
    await expect(who).to_contain_text("No suggestions right now")
    await expect(who.get_by_role("heading", name="Who to follow")).to_be_focused()
    # The home timeline fills with Cat's earlier post without a reload.
    await expect(home.get_by_test_id("tweets")).to_contain_text(
        "Cat's first post.", timeout=WAIT_MS
    )

    # Dee joins: she shows up in Ada's suggestions after a reload, and not in her own.
    dee = await open_person("dee")
    await sign_up(dee)
    await ada.goto("/timeline")
    await expect(people).to_have_count(1, timeout=WAIT_MS)
    await expect(people.first).to_contain_text(re.compile(r"dee\s*New to Agora"))
    await dee.goto("/timeline")
    dee_list = dee.page.get_by_role("region", name="Who to follow").get_by_test_id("suggestion")
    await expect(dee_list).to_have_count(3, timeout=WAIT_MS)
    await expect(dee_list).not_to_contain_text(["dee"])
    # Cat has two followers now: first; then Ben (one), then Ada.
    await expect(dee_list).to_contain_text(["cat", "ben", "ada"])
