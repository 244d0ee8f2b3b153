"""A stand-in for the metadata services: real HTTP on 127.0.0.1, their real response shapes."""
