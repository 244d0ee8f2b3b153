"""Everything that exists only because paperbot runs as a server: web, queue, jobs, settings."""
