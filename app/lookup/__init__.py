"""Paper metadata lookups (arXiv, Crossref, OpenReview, DBLP over HTTP) and figure checks."""
