"""The ``paperbot`` command line (entry point: ``app.cli.main:main``)."""
