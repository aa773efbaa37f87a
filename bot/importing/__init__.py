"""Importing history: Slack workspace exports (``copbot import slack-export``)."""
