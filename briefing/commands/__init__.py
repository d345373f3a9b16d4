"""Commands beyond the daily job: check, demo, and logging set-up for the CLI."""
