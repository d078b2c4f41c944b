"""The `steppewatch` command."""


def main() -> int:
    raise SystemExit("not wired yet")
