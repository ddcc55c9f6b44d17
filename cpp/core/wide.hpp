#pragma once
// 256-bit intermediates for exact Decimal arithmetic: the product of two 128-bit mantissas
// (e.g. price * quantity held at 1e-18) and the sums of such products, rounded once.
// Boost.Multiprecision's fixed-width int256_t; it holds any product of two Int128 values.
#include <optional>

#include <boost/multiprecision/cpp_int.hpp>

#include "core/decimal.hpp"

namespace te {

using Int256 = boost::multiprecision::int256_t;

Int256 to_wide(Int128 v);
// The value when it fits in an Int128.
std::optional<Int128> narrow(const Int256& v);
// Exact product of two mantissas (units of 1e-18).
inline Int256 wide_product(Decimal a, Decimal b) { return to_wide(a.raw()) * to_wide(b.raw()); }
// num / den (den > 0) rounded with `mode`.
Int256 round_div(const Int256& num, const Int256& den, Rounding mode);
std::string wide_to_string(const Int256& v);

}  // namespace te
