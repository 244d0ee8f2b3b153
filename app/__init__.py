"""paperbot: turns paper-report issues into README pull requests."""

__version__ = "0.1.0"
