"""Everything that talks to GitHub: the port, its PyGithub adapter, and a local stand-in."""
