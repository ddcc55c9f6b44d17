"""InstrumentId, Instrument, Candle, Trade, Quote and the enums from Python."""

from __future__ import annotations

import enum
import pickle

import pytest

import tradeengine as te
from tradeengine import Candle, Instrument, InstrumentId, Interval, Money, Price, Quantity, Quote, Side, Trade


def btcusdt() -> Instrument:
    return Instrument(
        "BTCUSDT.BINANCE", "BTC", "USDT", Price("0.01"), Quantity("0.00001"), Quantity("0.00001"),
        Quantity("9000"), Money("5"),
    )


def test_instrument_id() -> None:
    i = InstrumentId("BTCUSDT.BINANCE")
    assert (i.symbol, i.venue, str(i)) == ("BTCUSDT", "BINANCE", "BTCUSDT.BINANCE")
    assert i == InstrumentId.of("BTCUSDT", "BINANCE")
    assert repr(i) == "InstrumentId('BTCUSDT.BINANCE')"
    assert len({i, InstrumentId("BTCUSDT.BINANCE")}) == 1
    assert pickle.loads(pickle.dumps(i)) == i
    with pytest.raises(ValueError, match="'btcusdt'"):
        InstrumentId("btcusdt")


def test_instrument_rounding_and_checks() -> None:
    inst = btcusdt()
    assert inst.price_precision == 2 and inst.quantity_precision == 5
    assert inst.round_price(Price("30000.125")) == Price("30000.12")
    assert inst.round_price(Price("30000.125"), te.Rounding.UP) == Price("30000.13")
    assert inst.round_quantity(Quantity("0.123456789")) == Quantity("0.12345")
    assert inst.check_order(Price("30000"), Quantity("0.001")) is None
    assert "step size" in inst.check_order(Price("30000"), Quantity("0.000001"))
    assert "tick size" in inst.check_order(Price("30000.001"), Quantity("0.001"))
    assert "notional" in inst.check_order(Price("1"), Quantity("0.001"))
    assert inst.check_order(None, Quantity("0.001")) is None


def test_instrument_bad_spec_lists_every_problem() -> None:
    with pytest.raises(ValueError) as info:
        Instrument("X.Y", "", "USDT", Price("0"), Quantity("1"), Quantity("2"), Quantity("1"), Money("0"))
    for part in ("base_asset", "tick_size", "max_quantity"):
        assert part in str(info.value)


def candle(**overrides: object) -> Candle:
    fields: dict[str, object] = dict(
        instrument_id="BTCUSDT.BINANCE", interval="1m", open_time=0, close_time=59_999_000_000,
        open=Price("100"), high=Price("110"), low=Price("90"), close=Price("105"), volume=Quantity("12.5"),
    )
    fields.update(overrides)
    return Candle(**fields)  # type: ignore[arg-type]


def test_candle_fields_and_validation() -> None:
    c = candle(closed=False, trade_count=7)
    assert c.instrument_id == InstrumentId("BTCUSDT.BINANCE")
    assert c.interval is Interval.M1
    assert (c.open, c.high, c.low, c.close) == (Price("100"), Price("110"), Price("90"), Price("105"))
    assert c.closed is False and c.trade_count == 7 and c.quote_volume == Money("0")
    assert "BTCUSDT.BINANCE" in repr(c)
    with pytest.raises(AttributeError):
        c.close = Price("1")  # type: ignore[misc]
    with pytest.raises(ValueError, match="high 80 < low 90"):
        candle(high=Price("80"), open=Price("85"), close=Price("85"))
    with pytest.raises(ValueError, match="volume"):
        candle(volume=Quantity("-1"))
    with pytest.raises(ValueError, match="Interval '2m'"):
        candle(interval="2m")
    with pytest.raises(TypeError):
        candle(open="100")


def test_trade_and_quote() -> None:
    t = Trade("ETHUSDT.BINANCE", Price("2000.5"), Quantity("0.1"), trade_id=42, aggressor_side=Side.SELL)
    assert (t.price, t.quantity, t.trade_id, t.aggressor_side) == (Price("2000.5"), Quantity("0.1"), 42, Side.SELL)
    with pytest.raises(ValueError, match="price"):
        Trade("ETHUSDT.BINANCE", Price("0"), Quantity("1"))
    q = Quote("ETHUSDT.BINANCE", Price("1999"), Quantity("1"), Price("2001"), Quantity("2"))
    assert q.ask_price - q.bid_price == Price("2")
    with pytest.raises(ValueError, match="bid 2002 above ask 2001"):
        Quote("ETHUSDT.BINANCE", Price("2002"), Quantity("1"), Price("2001"), Quantity("2"))


def test_intervals() -> None:
    assert te.interval_from_string("1M") is Interval.MO1
    assert te.interval_to_string(Interval.M15) == "15m"
    assert len(list(Interval)) == 16
    jan_2024 = 1_704_067_200_000
    assert te.next_open_time_ms(Interval.MO1, jan_2024) - jan_2024 == 31 * 86_400_000
    with pytest.raises(ValueError, match="expected one of"):
        te.interval_from_string("7m")


@pytest.mark.parametrize(
    ("cls", "members"),
    [
        (te.Side, {"BUY", "SELL"}),
        (te.OrderType, {"MARKET", "LIMIT", "LIMIT_MAKER", "STOP_LOSS_LIMIT", "TAKE_PROFIT_LIMIT"}),
        (te.TimeInForce, {"GTC", "IOC", "FOK"}),
        (te.OrderStatus, {"INITIALIZED", "SUBMITTED", "ACCEPTED", "PARTIALLY_FILLED", "FILLED", "PENDING_CANCEL",
                          "CANCELED", "REJECTED", "EXPIRED"}),
        (te.EngineState, {"CREATED", "INITIALIZED", "RUNNING", "STOPPING", "STOPPED"}),
        (te.Lane, {"ORDER", "SIGNAL", "DATA"}),
    ],
)
def test_enums_are_python_enums(cls: type[enum.Enum], members: set[str]) -> None:
    assert issubclass(cls, enum.Enum)
    assert {m.name for m in cls} == members
    assert "ORDER_FILL" in te.EventType.__members__
