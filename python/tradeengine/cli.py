"""The `tradeengine` command line. Subcommands arrive with their components."""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `tradeengine` command."""
    import tradeengine

    parser = argparse.ArgumentParser(prog="tradeengine", description="tradeengine command line")
    parser.add_argument("--version", action="version", version=f"tradeengine {tradeengine.__version__}")
    parser.parse_args(argv)
    parser.print_help()
    return 0


if __name__ == "__main__":
    sys.exit(main())
