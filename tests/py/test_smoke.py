import tradeengine as te


def test_price_sum_is_exact() -> None:
    assert str(te.Price("0.1") + te.Price("0.2")) == "0.3"
