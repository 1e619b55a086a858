"""Keeping a workspace folder and a Xano workspace in step: the Metadata API client, pull, push
(plan, apply, journal, restore), status, diff, rollback, the manifest and the workspace files."""
