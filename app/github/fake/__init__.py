"""A local GitHub stand-in: a real HTTP server over real git objects, for tests and the demo."""
