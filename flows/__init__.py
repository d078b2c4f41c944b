"""Steppewatch: land -> extract -> transform -> audit -> publish.

Each stage is one module: `land`, `extract`, `transform`, `audit`, `publish`; `pipeline`
wires them into a Prefect flow and `cli` is the `steppewatch` command.
"""
