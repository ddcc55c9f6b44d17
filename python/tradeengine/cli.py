"""The `tradeengine` command line: demo, run, sim-exchange."""

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


DEMO_STRATEGIES = {"sma_cross": "SmaCross", "market_maker": "MarketMaker"}


def _print_fills(runner: object, out: object) -> None:
    """Prints every fill as it happens (the demo's running commentary, terminal or not)."""
    import tradeengine as te

    engine = getattr(runner, "engine", None)
    if engine is None:
        return

    def show(event: te.Event) -> None:
        f = event.payload
        print(f"  fill  {f.side.name:<4} {f.quantity} {f.instrument_id.symbol} @ {f.price}  "
              f"fee {f.commission} {f.commission_asset}", file=out, flush=True)  # fmt: skip

    engine.subscribe(te.EventType.ORDER_FILL, show, "demo.print_fills")


def _run_config(runner_cls: type, config: object, strategy_file: str | None, args: argparse.Namespace) -> int:
    import tradeengine as te

    try:
        runner = runner_cls(config, strategy_file)
    except te.ConfigError as exc:
        print(f"tradeengine: {exc}", file=sys.stderr)
        return 2
    if not getattr(args, "quiet_fills", False):
        runner.on_ready = lambda r: _print_fills(r, sys.stdout)
    try:
        runner.run()
    except te.ConfigError as exc:
        print(f"tradeengine: {exc}", file=sys.stderr)
        return 2
    except te.TradeEngineError as exc:
        print(f"tradeengine: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    return 0


def _demo(args: argparse.Namespace) -> int:
    """The SMA-crossover (or market-making) example on the embedded simulated exchange."""
    from tradeengine.config import RunConfig, StrategySection, VenueSection
    from tradeengine.runner import Runner

    symbols = tuple(s.strip().upper() for s in args.symbols.split(",") if s.strip())
    if not symbols:
        print("tradeengine demo: --symbols is empty: name at least one, like BTCUSDT", file=sys.stderr)
        return 2
    if not args.duration > 0 or not args.speed > 0:
        print("tradeengine demo: --duration and --speed must be > 0", file=sys.stderr)
        return 2
    balances = {"USDT": "100000"}
    for sym in symbols:
        if sym.endswith("USDT") and len(sym) > 4:
            balances[sym[:-4]] = "1"
    config = RunConfig(
        venue=VenueSection(kind="simulated", simulated={"symbols": list(symbols), "speed": args.speed,
                                                        "seed": args.seed, "balances": balances}),
        strategies=(StrategySection(name=args.strategy, class_name=DEMO_STRATEGIES[args.strategy],
                                    symbols=symbols, interval="1m", params={"quantity": "0.01"}),),
        duration=args.duration, log_level="warn",
    )  # fmt: skip
    print(f"tradeengine demo: {args.strategy} on {', '.join(symbols)} (1m klines, speed {args.speed:g}x) "
          f"against the embedded simulated exchange for {args.duration:g} s; Ctrl-C stops early.",
          flush=True)  # fmt: skip
    return _run_config(Runner, config, None, args)


def _run(args: argparse.Namespace) -> int:
    """`tradeengine run STRATEGY.py --config FILE.toml`."""
    import tradeengine as te
    from tradeengine.config import load_config
    from tradeengine.runner import Runner

    try:
        config = load_config(args.config)
    except te.ConfigError as exc:
        print(f"tradeengine: {exc}", file=sys.stderr)
        return 2
    if args.duration is not None:
        import dataclasses

        config = dataclasses.replace(config, duration=args.duration)
    return _run_config(Runner, config, args.strategy, args)


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
    demo = sub.add_parser("demo", help="a strategy trading live on the embedded simulated exchange")
    demo.add_argument("--duration", type=float, default=30.0, help="seconds to run (default 30)")
    demo.add_argument("--strategy", choices=sorted(DEMO_STRATEGIES), default="sma_cross",
                      help="example strategy (default sma_cross)")  # fmt: skip
    demo.add_argument("--symbols", default="BTCUSDT,ETHUSDT", help="comma-separated symbols")
    demo.add_argument("--speed", type=float, default=600.0, help="simulated ms per real ms (600: a 1m kline per 100 ms)")
    demo.add_argument("--seed", type=int, default=7, help="price path seed")
    demo.add_argument("--quiet-fills", action="store_true", help="do not print each fill")
    run = sub.add_parser("run", help="run a strategy file with a TOML configuration")
    run.add_argument("strategy", help="the strategy file (defines a tradeengine.Strategy subclass)")
    run.add_argument("--config", required=True, help="the TOML configuration (docs/guide/configuration.md)")
    run.add_argument("--duration", type=float, default=None, help="seconds to run (overrides the config)")
    run.add_argument("--quiet-fills", action="store_true", help="do not print each fill")
    args = parser.parse_args(argv)
    if args.command == "sim-exchange":
        return _sim_exchange(args)
    if args.command == "demo":
        return _demo(args)
    if args.command == "run":
        return _run(args)
    parser.print_help()
    return 0


if __name__ == "__main__":
    sys.exit(main())
