"""Business rules of the notifications service: who is told what (and in which words) when other
services' events arrive, honouring each user's preferences; the list, read state, and live delivery
after commit.

`do_*` change state; `get_*`/`list_*` read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from agora.contracts.events.competitions import (
    CommentAdded,
    ResultsPublished,
    SubmissionCreated,
    SubmissionLiked,
)
from agora.contracts.events.discussions import ThreadReplied
from agora.contracts.events.sports import ScoreChanged, TeamFollowed, TeamUnfollowed
from agora.contracts.events.users import UserFollowed
from agora.contracts.notifications import (
    COMMENT,
    FOLLOW,
    LIKE,
    NEW_SUBMISSION,
    PLACEMENT,
    REPLY,
    SCORE_UPDATE,
)
from agora.contracts.users import UserDirectory
from agora.platform.auth.principal import Principal
from agora.platform.clock import Clock
from agora.platform.db import UnitOfWork, after_commit
from agora.platform.errors import NotFound
from agora.platform.pagination import Page, fetch_size, paginate, parse_id_cursor
from agora.platform.realtime.base import Hub
from agora.platform.schemas import iso
from agora.services.notifications import repository as repo
from agora.services.notifications.models import Notification
from agora.services.notifications.repository import NewNotification, StoredNotification
from agora.services.notifications.schemas import NotificationCreate

log = structlog.get_logger("agora.notifications")


def user_channel(user_id: int) -> str:
    return f"user:{user_id}"


def notification_frame(notification: StoredNotification, *, replaces: int | None) -> dict[str, Any]:
    """What the user's socket receives for a new notification: the notification as the list shows
    it, and the id of the unread one it replaces (same collapse key), if any."""
    frame: dict[str, Any] = {
        "notification": {
            "notification_id": str(notification.id),
            "user_id": str(notification.user_id),
            "type": notification.type,
            "message": notification.message,
            "data": dict(notification.data),
            "read": notification.read_at is not None,
            "created_at": iso(notification.created_at),
            "read_at": iso(notification.read_at),
        }
    }
    if replaces is not None:
        frame["replaces"] = str(replaces)
    return frame


def team_key(team: str) -> str:
    """Teams are matched by name, ignoring case and surrounding spaces."""
    return " ".join(team.split()).casefold()


def ordinal(place: int) -> str:
    teens = 10 <= place % 100 <= 20
    suffix = "th" if teens else {1: "st", 2: "nd", 3: "rd"}.get(place % 10, "th")
    return f"{place}{suffix}"


@dataclass(frozen=True, slots=True)
class Draft:
    """A notification to send to `user_id`, if their preferences allow its type; otherwise the
    `fallback` (a less specific way of telling the same thing), if that is allowed."""

    user_id: int
    type: str
    message: str
    data: dict[str, Any]
    fallback: Draft | None = None
    # While unread, a newer notification with the same key replaces this one (one per live game,
    # not one per point scored).
    collapse_key: str | None = None


class NotificationsService:
    """The notifications service's rules, with its collaborators injected."""

    def __init__(self, *, directory: UserDirectory, hub: Hub, clock: Clock) -> None:
        self.directory = directory
        self.hub = hub
        self.clock = clock

    # ------------------------------------------------------------ sending

    async def do_notify(
        self, session: UnitOfWork, drafts: Sequence[Draft], *, event_id: str | None
    ) -> list[StoredNotification]:
        """Store the drafts their recipients want (and that exist); deliver them live after
        commit."""
        if not drafts:
            return []
        preferences = await self.directory.get_notification_preferences({d.user_id for d in drafts})
        now = self.clock.now()
        chosen: list[Draft] = []
        for draft in drafts:
            wanted = preferences.get(draft.user_id)
            option: Draft | None = draft
            while option is not None and not (wanted and wanted.allows(option.type)):
                option = option.fallback
            if option is not None:
                chosen.append(option)
        if not chosen:
            return []
        replaced: list[int | None] = []
        for d in chosen:
            gone = None
            if d.collapse_key is not None:
                gone = await repo.take_unread_collapsed(session, d.user_id, d.collapse_key)
            replaced.append(gone)
        notifications = await repo.add_notifications(
            session,
            [
                NewNotification(
                    user_id=d.user_id,
                    type=d.type,
                    message=d.message,
                    data=d.data,
                    event_id=event_id,
                    collapse_key=d.collapse_key,
                    created_at=now,
                )
                for d in chosen
            ],
        )
        frames = [
            (notification.user_id, notification_frame(notification, replaces=gone))
            for notification, gone in zip(notifications, replaced, strict=True)
        ]

        async def deliver() -> None:
            for user_id, frame in frames:
                await self.hub.publish(user_channel(user_id), frame)

        after_commit(session, deliver)
        return notifications

    async def do_send(
        self, session: AsyncSession, me: Principal, data: NotificationCreate
    ) -> StoredNotification | None:
        """An admin's notification to one user; None when the user turned that type off."""
        if not (await self.directory.get_users([data.user_id])):
            raise NotFound(f"No user with id {data.user_id}", code="user_not_found")
        sent = await self.do_notify(
            session,
            [Draft(data.user_id, data.type, data.message, {"sent_by": str(me.user_id)})],
            event_id=None,
        )
        log.info("notification_sent", to=data.user_id, type=data.type, delivered=bool(sent))
        return sent[0] if sent else None

    # ------------------------------------------------------------ users' events

    async def do_notify_user_followed(
        self, session: AsyncSession, payload: UserFollowed, *, event_id: str
    ) -> None:
        if payload.follower_id == payload.followee_id:
            return
        users = await self.directory.get_users([payload.follower_id])
        follower = users.get(payload.follower_id)
        if follower is None:
            return
        draft = Draft(
            payload.followee_id,
            FOLLOW,
            f"{follower.username} followed you",
            {"follower_id": str(follower.user_id), "username": follower.username},
        )
        await self.do_notify(session, [draft], event_id=event_id)

    # ------------------------------------------------------------ competitions' events

    async def do_notify_submission_created(
        self, session: AsyncSession, payload: SubmissionCreated, *, event_id: str
    ) -> None:
        data = {
            "competition_id": str(payload.competition_id),
            "submission_id": str(payload.submission_id),
            "user_id": str(payload.user_id),
        }
        message = f'{payload.username} submitted "{payload.title}" to "{payload.competition_title}"'
        drafts = [
            Draft(subscriber, NEW_SUBMISSION, message, data)
            for subscriber in dict.fromkeys(payload.subscriber_ids)
            if subscriber != payload.user_id
        ]
        await self.do_notify(session, drafts, event_id=event_id)

    async def do_notify_submission_liked(
        self, session: UnitOfWork, payload: SubmissionLiked, *, event_id: str
    ) -> None:
        if payload.liker_id == payload.author_id:
            return
        draft = Draft(
            payload.author_id,
            LIKE,
            f'{payload.liker_username} liked your entry "{payload.submission_title}"',
            {
                "competition_id": str(payload.competition_id),
                "submission_id": str(payload.submission_id),
                "user_id": str(payload.liker_id),
            },
        )
        await self.do_notify(session, [draft], event_id=event_id)

    async def do_notify_thread_replied(
        self, session: UnitOfWork, payload: ThreadReplied, *, event_id: str
    ) -> None:
        author = payload.thread_author_id
        if author is None or author == payload.replier_id:
            return
        draft = Draft(
            author,
            REPLY,
            f'{payload.replier_username} replied to your thread "{payload.thread_title}": '
            f"{payload.excerpt}",
            {
                "thread_id": str(payload.thread_id),
                "reply_id": str(payload.reply_id),
                "user_id": str(payload.replier_id),
            },
        )
        await self.do_notify(session, [draft], event_id=event_id)

    async def do_notify_comment_added(
        self, session: UnitOfWork, payload: CommentAdded, *, event_id: str
    ) -> None:
        actor = payload.commenter_id
        author = payload.submission_author_id
        data = {
            "competition_id": str(payload.competition_id),
            "submission_id": str(payload.submission_id),
            "comment_id": str(payload.comment_id),
            "parent_comment_id": (
                str(payload.parent_comment_id) if payload.parent_comment_id is not None else None
            ),
            "user_id": str(actor),
        }
        title = payload.submission_title
        comment = Draft(
            author,
            COMMENT,
            f'{payload.commenter_username} commented on your entry "{title}": {payload.excerpt}',
            data,
        )
        drafts: list[Draft] = []
        parent_author = payload.parent_author_id
        if parent_author is not None and parent_author != actor:
            # The author of the comment replied to; when that is also the entry's author they
            # hear it once, as a reply (or as a comment if they turned replies off).
            drafts.append(
                Draft(
                    parent_author,
                    REPLY,
                    f'{payload.commenter_username} replied to your comment on "{title}": '
                    f"{payload.excerpt}",
                    data,
                    fallback=comment if parent_author == author else None,
                )
            )
        if author != actor and author != parent_author:
            drafts.append(comment)
        await self.do_notify(session, drafts, event_id=event_id)

    async def do_notify_results_published(
        self, session: AsyncSession, payload: ResultsPublished, *, event_id: str
    ) -> None:
        drafts = [
            Draft(
                placing.user_id,
                PLACEMENT,
                f'Your entry "{placing.title}" placed {ordinal(placing.place)} of '
                f'{payload.entry_count} in "{payload.title}" with {placing.likes} '
                f"like{'' if placing.likes == 1 else 's'}",
                {
                    "competition_id": str(payload.competition_id),
                    "submission_id": str(placing.submission_id),
                    "place": placing.place,
                    "entries": payload.entry_count,
                    "likes": placing.likes,
                },
            )
            for placing in payload.placings
        ]
        await self.do_notify(session, drafts, event_id=event_id)

    # ------------------------------------------------------------ sports' events

    async def do_record_team_followed(
        self, session: AsyncSession, payload: TeamFollowed, *, at: datetime
    ) -> None:
        """Keep the local copy of who follows which team (`at`: when sports recorded it)."""
        await repo.set_team_follow(
            session, user_id=payload.user_id, team=team_key(payload.team), following=True, at=at
        )

    async def do_record_team_unfollowed(
        self, session: AsyncSession, payload: TeamUnfollowed, *, at: datetime
    ) -> None:
        await repo.set_team_follow(
            session, user_id=payload.user_id, team=team_key(payload.team), following=False, at=at
        )

    async def do_notify_score_changed(
        self, session: AsyncSession, payload: ScoreChanged, *, event_id: str
    ) -> None:
        followers = await repo.list_team_followers(
            session, {team_key(payload.team_1), team_key(payload.team_2)}
        )
        score = f"{payload.team_1} {payload.score_team_1}–{payload.score_team_2} {payload.team_2}"
        message = f"{score}: {payload.description}" if payload.description else score
        data = {
            "game_id": str(payload.game_id),
            "sport_category": payload.sport_category,
            "team_1": payload.team_1,
            "team_2": payload.team_2,
            "score_team_1": payload.score_team_1,
            "score_team_2": payload.score_team_2,
            "scoring_team": payload.scoring_team,
            "event_type": payload.event_type_name,
        }
        drafts = [
            Draft(user_id, SCORE_UPDATE, message, data, collapse_key=f"game:{payload.game_id}")
            for user_id in followers
        ]
        await self.do_notify(session, drafts, event_id=event_id)

    # ------------------------------------------------------------ reading

    async def list_mine(
        self,
        session: AsyncSession,
        me: Principal,
        *,
        limit: int,
        cursor: str | None,
        unread_only: bool,
    ) -> tuple[Page[Notification], int]:
        """A page of my notifications, and my unread count."""
        rows = await repo.list_for_user(
            session,
            me.user_id,
            limit=fetch_size(limit),
            before=parse_id_cursor(cursor),
            unread_only=unread_only,
        )
        page = paginate(rows, limit, cursor_of=lambda notification: notification.id)
        return page, await repo.count_unread(session, me.user_id)

    async def do_mark_read(
        self, session: AsyncSession, me: Principal, notification_id: int
    ) -> tuple[Notification, int]:
        """Mark one of my notifications read; it, and how many of mine are still unread."""
        notification = await repo.get_for_user(session, notification_id, me.user_id)
        if notification is None:
            raise NotFound(
                f"You have no notification with id {notification_id}",
                code="notification_not_found",
            )
        if notification.read_at is None:
            await repo.mark_read(session, notification, at=self.clock.now())
        return notification, await repo.count_unread(session, me.user_id)

    async def do_mark_all_read(self, session: AsyncSession, me: Principal) -> int:
        return await repo.mark_all_read(session, me.user_id, self.clock.now())
