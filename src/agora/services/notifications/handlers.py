"""Event consumers of the notifications service: users, competitions, discussions and sports
events become notifications for the people they concern, never for the person who acted.

Each handler runs once per event (the inbox), inside the transaction that stores its
notifications; live delivery happens after that commits.
"""

from __future__ import annotations

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
from agora.platform.bus.event import Event
from agora.platform.bus.inbox import Consumer
from agora.platform.db import Database, Writes
from agora.services.notifications.models import inbox
from agora.services.notifications.service import NotificationsService


def build_consumer(database: Database, service: NotificationsService) -> Consumer:
    """The notifications consumer group; the inbox makes each event's effect happen once. The
    events every like, comment and reply sends are handled in plain writes (decision 0046)."""
    consumer = Consumer(database, inbox, group="notifications")

    async def on_user_followed(session: AsyncSession, payload: UserFollowed, event: Event) -> None:
        await service.do_notify_user_followed(session, payload, event_id=event.id)

    async def on_submission_created(
        session: AsyncSession, payload: SubmissionCreated, event: Event
    ) -> None:
        await service.do_notify_submission_created(session, payload, event_id=event.id)

    async def on_submission_liked(writes: Writes, payload: SubmissionLiked, event: Event) -> None:
        await service.do_notify_submission_liked(writes, payload, event_id=event.id)

    async def on_comment_added(writes: Writes, payload: CommentAdded, event: Event) -> None:
        await service.do_notify_comment_added(writes, payload, event_id=event.id)

    async def on_thread_replied(writes: Writes, payload: ThreadReplied, event: Event) -> None:
        await service.do_notify_thread_replied(writes, payload, event_id=event.id)

    async def on_results_published(
        session: AsyncSession, payload: ResultsPublished, event: Event
    ) -> None:
        await service.do_notify_results_published(session, payload, event_id=event.id)

    async def on_team_followed(session: AsyncSession, payload: TeamFollowed, event: Event) -> None:
        await service.do_record_team_followed(session, payload, at=event.occurred_at)

    async def on_team_unfollowed(
        session: AsyncSession, payload: TeamUnfollowed, event: Event
    ) -> None:
        await service.do_record_team_unfollowed(session, payload, at=event.occurred_at)

    async def on_score_changed(session: AsyncSession, payload: ScoreChanged, event: Event) -> None:
        await service.do_notify_score_changed(session, payload, event_id=event.id)

    consumer.on(UserFollowed, on_user_followed)
    consumer.on(SubmissionCreated, on_submission_created)
    consumer.on_plain(SubmissionLiked, on_submission_liked)
    consumer.on_plain(CommentAdded, on_comment_added)
    consumer.on_plain(ThreadReplied, on_thread_replied)
    consumer.on(ResultsPublished, on_results_published)
    consumer.on(TeamFollowed, on_team_followed)
    consumer.on(TeamUnfollowed, on_team_unfollowed)
    consumer.on(ScoreChanged, on_score_changed)
    return consumer
