"""The timeline: following someone brings their earlier posts into an open home timeline at once
and their new posts as they are posted; deleting takes them out; unfollowing stops them."""

from __future__ import annotations

from pathlib import Path

from playwright.async_api import expect

from agora.entrypoints.embedded import Platform
from tests.e2e.browser.conftest import OpenPerson
from tests.e2e.browser.ui import WAIT_MS, screenshot, sign_up


async def test_following_brings_new_posts_live(
    open_person: OpenPerson, ui_platform: Platform, screenshots: Path
) -> None:
    ada = await open_person("ada")
    await sign_up(ada)
    ben = await open_person("ben")
    await sign_up(ben)

    await ada.goto("/timeline")
    compose = ada.page.get_by_label("What's happening?")
    await compose.fill("Reading Piranesi on the train.")
    await ada.page.get_by_role("button", name="Post", exact=True).click()
    await expect(ada.page.get_by_test_id("tweets")).to_contain_text(
        "Reading Piranesi", timeout=WAIT_MS
    )

    # Ben finds Ada and follows her from her page, his home timeline open in another tab.
    home_tab = await ben.new_tab()
    await ben.goto("/timeline", home_tab)
    await expect(home_tab.get_by_text("Nothing here yet.")).to_be_visible(timeout=WAIT_MS)
    await ben.goto("/timeline")
    await expect(ben.page.get_by_text("Nothing here yet.")).to_be_visible(timeout=WAIT_MS)
    await ben.page.get_by_label("Username starts with").fill("ad")
    await ben.page.get_by_role("button", name="Find").click()
    await ben.page.get_by_role("link", name="ada").click()
    await expect(ben.page.get_by_role("heading", name="ada")).to_be_visible(timeout=WAIT_MS)
    await expect(ben.page.get_by_test_id("tweets")).to_contain_text("Reading Piranesi")
    await ben.page.get_by_role("button", name="Follow ada").click()
    await expect(ben.page.get_by_role("button", name="Unfollow ada")).to_be_visible(timeout=WAIT_MS)
    await expect(ben.page.get_by_test_id("followers-count")).to_have_text("1", timeout=WAIT_MS)
    # The timeline learns of the follow from its event; let it arrive before Ada posts.
    await ui_platform.settle()
    # The open tab fills with Ada's earlier post at once, without a reload.
    await expect(home_tab.get_by_test_id("tweets")).to_contain_text(
        "Reading Piranesi", timeout=WAIT_MS
    )
    await home_tab.close()

    await ben.goto("/timeline")
    await expect(ben.page.get_by_test_id("tweets")).to_contain_text(
        "Reading Piranesi", timeout=WAIT_MS
    )
    await compose.fill("Chapter two is even stranger.")
    await ada.page.get_by_role("button", name="Post", exact=True).click()
    fresh = ben.page.get_by_test_id("tweet").filter(has_text="Chapter two is even stranger.")
    await expect(fresh).to_be_visible(timeout=WAIT_MS)
    await expect(ben.page.get_by_test_id("tweet").first).to_contain_text("Chapter two")

    await ben.page.get_by_label("What's happening?").fill("Same here!")
    await ben.page.get_by_role("button", name="Post", exact=True).click()
    await expect(ben.page.get_by_test_id("tweet").first).to_contain_text(
        "Same here!", timeout=WAIT_MS
    )
    await screenshot(ben.page, screenshots, "timeline")

    # Ada deletes her post: it leaves Ben's open timeline too.
    ada_post = ada.page.get_by_test_id("tweet").filter(has_text="Chapter two is even stranger.")
    await ada_post.get_by_role("button", name="Delete this post").click()
    # Nothing goes before she confirms; "Keep it" would keep it.
    await expect(fresh).to_have_count(1)
    await ada_post.get_by_role("button", name="Yes, delete").click()
    await expect(fresh).to_have_count(0, timeout=WAIT_MS)

    # Ben unfollows from Ada's page.
    await (
        ben.page.get_by_test_id("tweet")
        .filter(has_text="Reading Piranesi")
        .get_by_role("link", name="ada")
        .click()
    )
    await ben.page.get_by_role("button", name="Unfollow ada").click()
    await expect(ben.page.get_by_role("button", name="Follow ada")).to_be_visible(timeout=WAIT_MS)
    await expect(ben.page.get_by_test_id("followers-count")).to_have_text("0", timeout=WAIT_MS)
    await screenshot(ben.page, screenshots, "user")
