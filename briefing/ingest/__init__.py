"""Getting reports in: fetching feeds over HTTP and parsing them into items."""
