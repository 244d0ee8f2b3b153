"""Plain, idempotent functions that apply the core's decisions to GitHub through the port."""
