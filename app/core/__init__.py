"""The pure core: issue text in, entry, block and README text out; no I/O."""
