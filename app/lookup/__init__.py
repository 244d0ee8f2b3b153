"""Paper metadata lookups: the port, httpx adapters for arXiv, Crossref, OpenReview and DBLP."""
