"""Event consumers of the notifications service: users, competitions and sports events become
notifications for the people they concern, never for the person who acted.

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
from agora.platform.bus.event import Event
from agora.platform.bus.inbox import Consumer
from agora.services.notifications.service import Draft, NotificationsService


def team_key(team: str) -> str:
    """Teams are matched by name, ignoring case and surrounding spaces."""
    return " ".join(team.split()).casefold()


def ordinal(place: int) -> str:
    if 10 <= place % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(place % 10, "th")
    return f"{place}{suffix}"


class NotificationHandlers:
    """One handler per consumed event type."""

    def __init__(self, service: NotificationsService) -> None:
        self.service = service

    def register(self, consumer: Consumer) -> None:
        consumer.on(UserFollowed, self.on_user_followed)
        consumer.on(SubmissionCreated, self.on_submission_created)
        consumer.on(SubmissionLiked, self.on_submission_liked)
        consumer.on(CommentAdded, self.on_comment_added)
        consumer.on(ResultsPublished, self.on_results_published)
        consumer.on(TeamFollowed, self.on_team_followed)
        consumer.on(TeamUnfollowed, self.on_team_unfollowed)
        consumer.on(ScoreChanged, self.on_score_changed)

    # ------------------------------------------------------------ users

    async def on_user_followed(
        self, session: AsyncSession, payload: UserFollowed, event: Event
    ) -> None:
        if payload.follower_id == payload.followee_id:
            return
        users = await self.service.directory.get_users([payload.follower_id])
        follower = users.get(payload.follower_id)
        if follower is None:
            return
        draft = Draft(
            payload.followee_id,
            FOLLOW,
            f"{follower.username} followed you",
            {"follower_id": str(follower.user_id), "username": follower.username},
        )
        await self.service.do_notify(session, [draft], event_id=event.id)

    # ------------------------------------------------------------ competitions

    async def on_submission_created(
        self, session: AsyncSession, payload: SubmissionCreated, event: Event
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
        await self.service.do_notify(session, drafts, event_id=event.id)

    async def on_submission_liked(
        self, session: AsyncSession, payload: SubmissionLiked, event: Event
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
        await self.service.do_notify(session, [draft], event_id=event.id)

    async def on_comment_added(
        self, session: AsyncSession, payload: CommentAdded, event: Event
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
        await self.service.do_notify(session, drafts, event_id=event.id)

    async def on_results_published(
        self, session: AsyncSession, payload: ResultsPublished, event: Event
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
        await self.service.do_notify(session, drafts, event_id=event.id)

    # ------------------------------------------------------------ sports

    async def on_team_followed(
        self, session: AsyncSession, payload: TeamFollowed, event: Event
    ) -> None:
        await self.service.do_set_team_follow(
            session, payload.user_id, team_key(payload.team), True, event.occurred_at
        )

    async def on_team_unfollowed(
        self, session: AsyncSession, payload: TeamUnfollowed, event: Event
    ) -> None:
        await self.service.do_set_team_follow(
            session, payload.user_id, team_key(payload.team), False, event.occurred_at
        )

    async def on_score_changed(
        self, session: AsyncSession, payload: ScoreChanged, event: Event
    ) -> None:
        followers = await self.service.list_team_followers(
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
        await self.service.do_notify(session, drafts, event_id=event.id)
