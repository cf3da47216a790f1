"""The feed: what happened each turn, newest at the bottom."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from ...play.session import FeedEntry
from ..text import feed_markup

__all__ = ["FeedLog"]


class FeedLog(VerticalScroll):
    """Renders the session's feed (the screen passes it in) and keeps the newest lines in view."""

    def compose(self) -> ComposeResult:
        yield Static(id="feed-text")

    _feed: list[FeedEntry] = []
    RECENT_TURNS = 4  # turns shown while the feed sits under the decision (all of them when expanded)
    full = False

    def show(self, feed: list[FeedEntry]) -> None:
        self._feed = feed
        width = self.scrollable_content_region.width or 60
        if not self.full and feed:
            since = feed[-1].turn - self.RECENT_TURNS + 1
            older = sum(1 for e in feed if e.turn < since)
            feed = [e for e in feed if e.turn >= since]
        else:
            older = 0
        lines = feed_markup(feed, max(width - 1, 20))
        if older:
            lines.insert(0, "[$text-muted]… earlier turns: press f for the whole story[/]")
        self.query_one("#feed-text", Static).update("\n".join(lines) or "[$text-muted]Nothing has happened yet.[/]")
        self.call_after_refresh(self.scroll_end, animate=False)

    def on_resize(self) -> None:
        if self._feed:
            self.show(self._feed)
