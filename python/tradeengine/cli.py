"""The `tradeengine` command line. Subcommands arrive with their components."""

from __future__ import annotations

import argparse
import signal
import sys
import threading


def _sim_exchange(args: argparse.Namespace) -> int:
    """Runs the simulated exchange until Ctrl-C, logging what it serves."""
    import tradeengine as te
    from tradeengine.sim import SimExchange

    symbols = [s.strip().upper() for s in args.symbols.split(",") if s.strip()]
    ex = SimExchange(symbols=symbols, seed=args.seed, speed=args.speed, port=args.port, host=args.host)
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with ex:
        print(f"simulated exchange on {ex.rest_url}", flush=True)
        print(f"  REST        {ex.rest_url}/api/v3/...", flush=True)
        print(f"  streams     {ex.ws_url}/ws/<stream>  {ex.ws_url}/stream?streams=a/b", flush=True)
        print(f"  WS API      {ex.ws_api_url}", flush=True)
        print(f"  symbols     {', '.join(symbols)}   seed {args.seed}   speed {args.speed}", flush=True)
        print(f"  API key     {ex.api_key()}", flush=True)
        print(f"  secret      {ex.secret()}", flush=True)
        print("Ctrl-C to stop.", flush=True)
        while not stop.wait(args.stats_every):
            s = ex.stats()
            te.log(
                "info",
                "sim",
                "serving",
                http_requests=s["http_requests"],
                bad_requests=s["bad_requests"],
                ws_open=s["ws_open"],
                market_messages_sent=s["market_messages_sent"],
                user_subscriptions=s["user_subscriptions"],
            )
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `tradeengine` command."""
    import tradeengine

    parser = argparse.ArgumentParser(prog="tradeengine", description="tradeengine command line")
    parser.add_argument("--version", action="version", version=f"tradeengine {tradeengine.__version__}")
    sub = parser.add_subparsers(dest="command")
    sim = sub.add_parser("sim-exchange", help="run the simulated Binance-compatible exchange on loopback")
    sim.add_argument("--port", type=int, default=0, help="TCP port (default: a free one)")
    sim.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    sim.add_argument("--symbols", default="BTCUSDT,ETHUSDT", help="comma-separated symbols")
    sim.add_argument("--seed", type=int, default=1, help="price path seed (same seed, same path)")
    sim.add_argument("--speed", type=float, default=1.0, help="simulated ms per real ms (600: 1m kline per 100 ms)")
    sim.add_argument("--stats-every", type=float, default=10.0, help="seconds between activity log lines")
    args = parser.parse_args(argv)
    if args.command == "sim-exchange":
        return _sim_exchange(args)
    parser.print_help()
    return 0


if __name__ == "__main__":
    sys.exit(main())
