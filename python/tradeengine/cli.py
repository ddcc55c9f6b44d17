"""The `tradeengine` command line: demo, run, backtest, sim-exchange (thin layers over tradeengine.Node)."""

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


def _fail(exc: Exception) -> int:
    import tradeengine as te

    if isinstance(exc, te.ConfigError):
        print(f"tradeengine: {exc}", file=sys.stderr)
        return 2
    print(f"tradeengine: {type(exc).__name__}: {exc}", file=sys.stderr)
    return 1


def _run_node(node: object, duration: float | None, args: argparse.Namespace) -> int:
    import tradeengine as te
    from tradeengine.runner import Runner

    try:
        return Runner(node, print_fills=not getattr(args, "quiet_fills", False)).run(duration)
    except te.TradeEngineError as exc:
        return _fail(exc)


def _demo(args: argparse.Namespace) -> int:
    """The SMA-crossover (or market-making) example on the embedded simulated exchange."""
    import tradeengine as te
    from tradeengine.runner import BUILTIN_STRATEGIES, resolve_strategy_class

    symbols = tuple(s.strip().upper() for s in args.symbols.split(",") if s.strip())
    if not symbols:
        print("tradeengine demo: --symbols is empty: name at least one, like BTCUSDT", file=sys.stderr)
        return 2
    if not args.duration > 0 or not args.speed > 0:
        print("tradeengine demo: --duration and --speed must be > 0", file=sys.stderr)
        return 2
    try:
        cls = resolve_strategy_class(BUILTIN_STRATEGIES[args.strategy], {}, "demo")
        strategy = cls(name=args.strategy, symbols=symbols, quantity="0.01")
        node = te.Node(venues=[te.venues.Simulated(symbols=symbols, speed=args.speed, seed=args.seed,
                                                   balances={"USDT": "100000"})],
                       strategies=[strategy], name="demo", log=te.LogSettings(level="warn"))  # fmt: skip
    except te.TradeEngineError as exc:
        return _fail(exc)
    print(f"tradeengine demo: {args.strategy} on {', '.join(symbols)} (1m klines, speed {args.speed:g}x) "
          f"against the embedded simulated exchange for {args.duration:g} s; Ctrl-C stops early.",
          flush=True)  # fmt: skip
    return _run_node(node, args.duration, args)


def _run(args: argparse.Namespace) -> int:
    """`tradeengine run STRATEGY [--config FILE.toml]`: a strategy file or a built-in example."""
    import dataclasses
    from pathlib import Path

    import tradeengine as te
    from tradeengine.config import NodeConfig, StrategySpec, load_config
    from tradeengine.runner import BUILTIN_STRATEGIES

    is_file = args.strategy.endswith(".py") or Path(args.strategy).exists()
    if not is_file and args.strategy not in BUILTIN_STRATEGIES and args.strategy not in BUILTIN_STRATEGIES.values():
        print(f"tradeengine run: '{args.strategy}' is neither a strategy file nor a built-in strategy "
              f"({', '.join(sorted(BUILTIN_STRATEGIES))})", file=sys.stderr)  # fmt: skip
        return 2
    try:
        config = load_config(args.config) if args.config else NodeConfig(venues=(te.venues.Simulated(),))
        if not config.strategies:
            symbols = tuple(s.strip().upper() for s in args.symbols.split(",") if s.strip())
            name = Path(args.strategy).stem if is_file else args.strategy
            spec = StrategySpec(name=name, class_name=None if is_file else args.strategy, symbols=symbols)
            config = dataclasses.replace(config, strategies=(spec,))
        node = te.Node.from_config(config, strategy_file=args.strategy if is_file else None)
    except te.TradeEngineError as exc:
        return _fail(exc)
    return _run_node(node, args.duration if args.duration is not None else config.duration, args)


def _backtest(args: argparse.Namespace) -> int:
    """`tradeengine backtest STRATEGY --data PATH [--config FILE.toml]`: the run's stats, and its
    orders, fills and equity (CSV or Parquet) and plot written to --out."""
    import dataclasses
    from pathlib import Path

    import tradeengine as te
    from tradeengine.config import NodeConfig, StrategySpec, load_config
    from tradeengine.research.backtest import run

    is_file = args.strategy.endswith(".py") or Path(args.strategy).exists()
    try:
        config = load_config(args.config) if args.config else NodeConfig()
        if not config.strategies:
            symbols = tuple(s.strip().upper() for s in args.symbols.split(",") if s.strip())
            name = Path(args.strategy).stem if is_file else args.strategy
            spec = StrategySpec(name=name, class_name=None if is_file else args.strategy, symbols=symbols)
            config = dataclasses.replace(config, strategies=(spec,))
        balances = dict(b.split("=", 1) for b in args.balance) if args.balance else {"USDT": "10000"}
        venue = te.venues.Backtest(data=args.data, start=args.start, end=args.end, balances=balances)
        node = te.Node.from_config(config, strategy_file=args.strategy if is_file else None, backtest=venue)
        result = run(node, progress=None if not args.no_progress else False, start=te.venues.backtest.to_ns(
            args.start, "start"), end=te.venues.backtest.to_ns(args.end, "end"))  # fmt: skip
    except (te.TradeEngineError, ValueError) as exc:
        return _fail(exc)
    print(result.stats)
    if result.error:
        print(f"\nstopped early: {result.error}", file=sys.stderr)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name in ("orders", "fills", "equity"):
        frame = getattr(result, name)
        if args.format == "parquet":
            frame.astype(str).to_parquet(out / f"{name}.parquet")
        else:
            frame.to_csv(out / f"{name}.csv")
    result.report(out / "plot.png", title=f"{args.strategy} on {args.data}")
    print(f"\nwrote {out}/orders.{args.format}, fills.{args.format}, equity.{args.format} and plot.png")
    return 1 if result.error else 0


def _data_fetch(args: argparse.Namespace) -> int:
    """`tradeengine data fetch SYMBOL INTERVAL --start --end --out DIR`: klines over REST, resumable."""
    import tradeengine as te
    from tradeengine.research.fetch import fetch_klines

    try:
        result = fetch_klines(args.symbol, args.interval, args.start, args.end, args.out, base_url=args.url,
                              progress=lambda n: print(f"\r{n} klines", end="", file=sys.stderr, flush=True))  # fmt: skip
    except (te.TradeEngineError, ValueError) as exc:
        return _fail(exc)
    print(file=sys.stderr)
    resumed = f" (resumed after {te.format_iso8601(result.resumed_from * 1_000_000)})" if result.resumed_from else ""
    print(f"{result.path}: {result.written} klines written{resumed}, {result.total} in the file")
    for after, missing in result.gaps:
        print(f"gap: {missing} klines missing after {te.format_iso8601(after * 1_000_000)}")
    if result.gaps:
        print(f"{len(result.gaps)} gaps, {sum(m for _, m in result.gaps)} klines missing in {result.path.name} "
              "(the venue has none there; not filled)")  # fmt: skip
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `tradeengine` command."""
    import tradeengine
    from tradeengine.runner import BUILTIN_STRATEGIES

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
    demo.add_argument("--strategy", choices=sorted(BUILTIN_STRATEGIES), default="sma_cross",
                      help="example strategy (default sma_cross)")  # fmt: skip
    demo.add_argument("--symbols", default="BTCUSDT,ETHUSDT", help="comma-separated symbols")
    demo.add_argument("--speed", type=float, default=600.0, help="simulated ms per real ms (600: a 1m kline per 100 ms)")
    demo.add_argument("--seed", type=int, default=7, help="price path seed")
    demo.add_argument("--quiet-fills", action="store_true", help="do not print each fill")
    run = sub.add_parser("run", help="run a strategy (a file, or a built-in example) with a TOML configuration")
    run.add_argument("strategy", help="a strategy file (defines a tradeengine.Strategy subclass) or a built-in "
                                      f"example: {', '.join(sorted(BUILTIN_STRATEGIES))}")  # fmt: skip
    run.add_argument("--config", help="the TOML configuration (docs/guide/configuration.md); "
                                      "default: the simulated exchange")  # fmt: skip
    run.add_argument("--symbols", default="BTCUSDT", help="symbols when the configuration names no strategy")
    run.add_argument("--duration", type=float, default=None, help="seconds to run (overrides the config)")
    run.add_argument("--quiet-fills", action="store_true", help="do not print each fill")
    bt = sub.add_parser("backtest", help="backtest a strategy on replayed data (kline CSV, Parquet, a directory)")
    bt.add_argument("strategy", help="a strategy file or a built-in example: " + ", ".join(sorted(BUILTIN_STRATEGIES)))
    bt.add_argument("--data", required=True, help="a Binance kline CSV (BTCUSDT-1m-....csv), Parquet file or directory")
    bt.add_argument("--config", help="a TOML configuration (its venue is replaced by the backtest venue)")
    bt.add_argument("--symbols", default="BTCUSDT", help="symbols when the configuration names no strategy")
    bt.add_argument("--start", help="first data time replayed (ISO date or time, UTC)")
    bt.add_argument("--end", help="replay data before this time (ISO, UTC)")
    bt.add_argument("--balance", action="append", help="a starting balance ASSET=AMOUNT (repeatable; default USDT=10000)")
    bt.add_argument("--out", default="backtest-out", help="directory for orders, fills, equity and the plot")
    bt.add_argument("--format", choices=("csv", "parquet"), default="csv", help="file format of the frames")
    bt.add_argument("--no-progress", action="store_true", help="no progress bar")
    data = sub.add_parser("data", help="market data files for backtests")
    data_sub = data.add_subparsers(dest="data_command", required=True)
    fetch = data_sub.add_parser("fetch", help="download klines over a venue's REST API into a Binance-format CSV")
    fetch.add_argument("symbol", help="e.g. BTCUSDT")
    fetch.add_argument("interval", help="e.g. 1m, 1h, 1d")
    fetch.add_argument("--start", required=True, help="first open time (ISO date or time, UTC)")
    fetch.add_argument("--end", required=True, help="klines opening before this time (ISO, UTC)")
    fetch.add_argument("--out", default="data", help="directory (default data/); an existing file is resumed")
    fetch.add_argument("--url", default="https://api.binance.com", help="the venue's REST base URL")
    args = parser.parse_args(argv)
    if args.command == "data":
        return _data_fetch(args)
    if args.command == "backtest":
        return _backtest(args)
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
