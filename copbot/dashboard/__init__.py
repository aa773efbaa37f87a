"""The dashboard: indicators with trends and targets, the idea pipeline, communities and
downloads, as server-rendered pages on the bot's web app, opened with a personal link."""

from copbot.dashboard.web import dashboard_mount

__all__ = ["dashboard_mount"]
