"""`briefing serve`: the on-demand preview (server, pages, fetch-now job, security headers)."""
