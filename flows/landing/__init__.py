"""Landing helpers: decoding raw bytes, reading file formats, cleaning and cutting articles.

`flows.land.land_inbox` is the entry point; the modules here are pure functions over
bytes and text (no database), so they can be tested in isolation.
"""
