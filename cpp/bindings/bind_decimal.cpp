// Price, Quantity and Money for Python: immutable, hashable, totally ordered within a type,
// exact. Arithmetic across types follows cpp/core/money.hpp; anything else returns
// NotImplemented, so Python raises its usual TypeError (e.g. Price + Quantity).
#include "bindings/pybind.hpp"

#include <pybind11/gil_safe_call_once.h>

#include <cmath>

#include "core/money.hpp"

namespace te::bindings {

const py::object& decimal_class() {
    PYBIND11_CONSTINIT static py::gil_safe_call_once_and_store<py::object> storage;
    return storage.call_once_and_store_result([] { return py::module_::import("decimal").attr("Decimal"); }).get_stored();
}

namespace {

bool is_decimal(py::handle v) { return py::isinstance(v, decimal_class()); }

// Python int <-> the 128-bit mantissa, exactly (through decimal text beyond 64 bits).
py::int_ int128_to_py(Int128 v) {
    if (v >= INT64_MIN && v <= INT64_MAX) return py::int_(static_cast<std::int64_t>(v));
    return py::reinterpret_steal<py::int_>(PyLong_FromString(int128_to_string(v).c_str(), nullptr, 10));
}

std::optional<Int128> int128_from_py(py::handle v) {
    int overflow = 0;
    const long long x = PyLong_AsLongLongAndOverflow(v.ptr(), &overflow);
    if (overflow == 0) {
        if (x == -1 && PyErr_Occurred()) throw py::error_already_set();
        return static_cast<Int128>(x);
    }
    Int128 out = 0;
    if (!int128_from_string(std::string(py::str(v)), out)) return std::nullopt;
    return out;
}

// An int as a Decimal: exact, or OverflowError naming the input and the range.
Decimal decimal_from_py_int(py::handle v, const std::string& what) {
    const auto raw_units = int128_from_py(v);
    Int128 raw = 0;
    if (!raw_units || __builtin_mul_overflow(*raw_units, static_cast<Int128>(Decimal::kOne), &raw))
        throw py::value_error(what + "(" + repr_of(v) + ") is out of range: the limits are " +
                              std::string(Decimal::kRangeText));
    return Decimal::from_raw(raw);
}

// A plain number usable as a dimensionless scalar: int or decimal.Decimal, exactly.
std::optional<Decimal> scalar_from(py::handle v) {
    if (py::isinstance<py::bool_>(v)) return std::nullopt;
    if (py::isinstance<py::int_>(v)) return decimal_from_py_int(v, "number");
    if (is_decimal(v)) {
        if (!v.attr("is_finite")().cast<bool>())
            throw py::value_error("invalid number " + repr_of(v) + ": expected a finite decimal");
        return Decimal::parse(std::string(py::str(v)), "number");
    }
    return std::nullopt;
}

template <class T>
T make_fixed(py::handle v, const char* name) {
    if (py::isinstance<T>(v)) return v.cast<T>();
    if (py::isinstance<py::str>(v)) return T::parse(v.cast<std::string>());
    if (py::isinstance<py::bool_>(v))
        throw py::type_error(std::string(name) + "(" + repr_of(v) + "): expected a str, int or decimal.Decimal, not bool");
    if (py::isinstance<py::int_>(v)) return T(decimal_from_py_int(v, name));
    if (is_decimal(v)) {
        if (!v.attr("is_finite")().cast<bool>())
            throw py::value_error(std::string(name) + "(" + repr_of(v) + "): expected a finite decimal");
        return T::parse(std::string(py::str(v)));
    }
    if (py::isinstance<py::float_>(v))
        throw py::type_error(std::string(name) + "(" + repr_of(v) + "): floats are inexact; pass a str such as '" +
                             std::string(py::str(v)) + "', a decimal.Decimal, or use " + name + ".from_float()");
    throw py::type_error(std::string(name) + "(" + repr_of(v) + "): expected a str, int or decimal.Decimal, not " +
                         type_name(v));
}

template <class T>
py::object to_python_decimal(const T& x) {
    return decimal_class()(x.to_string());
}

// Cross-type products and quotients: Price*Quantity, Money/Price, ...
template <class T>
py::object mul_cross(const T& a, py::handle b);
template <class T>
py::object div_cross(const T& a, py::handle b);

template <>
py::object mul_cross<Price>(const Price& a, py::handle b) {
    if (py::isinstance<Quantity>(b)) return py::cast(a * b.cast<Quantity>());
    return not_implemented();
}
template <>
py::object mul_cross<Quantity>(const Quantity& a, py::handle b) {
    if (py::isinstance<Price>(b)) return py::cast(a * b.cast<Price>());
    return not_implemented();
}
template <>
py::object mul_cross<Money>(const Money&, py::handle) { return not_implemented(); }
template <>
py::object div_cross<Money>(const Money& a, py::handle b) {
    if (py::isinstance<Price>(b)) return py::cast(a / b.cast<Price>());
    if (py::isinstance<Quantity>(b)) return py::cast(a / b.cast<Quantity>());
    return not_implemented();
}
template <>
py::object div_cross<Price>(const Price&, py::handle) { return not_implemented(); }
template <>
py::object div_cross<Quantity>(const Quantity&, py::handle) { return not_implemented(); }

template <class T>
void bind_fixed(py::module_& m, const char* name, const char* doc) {
    py::class_<T> cls(m, name, doc);
    cls.def(py::init([name](py::object v) { return make_fixed<T>(v, name); }), py::arg("value"),
            "Exact value from a str ('1.10'), an int or a decimal.Decimal. Floats are refused (use from_float); "
            "text with more than 9 decimal places is refused (use from_str with a rounding mode).")
        .def_static(
            "from_str",
            [](const std::string& text, std::optional<Rounding> mode) {
                return mode ? T::parse(text, *mode) : T::parse(text);
            },
            py::arg("text"), py::arg("rounding") = py::none(),
            "Parse text; with a rounding mode, digits beyond the 9th decimal place are rounded instead of refused.")
        .def_static(
            "from_float",
            [name](double x) {
                if (!std::isfinite(x))
                    throw py::value_error(std::string(name) + ".from_float(" + std::to_string(x) +
                                          "): expected a finite float");
                // repr() is the shortest text that round-trips: 0.1 -> '0.1', not 0.1000000000000000055...
                return T::parse(std::string(py::repr(py::float_(x))));
            },
            py::arg("value"), "Convert a float through its shortest round-trip text (0.1 -> '0.1').")
        .def_static(
            "from_raw",
            [name](const py::int_& raw) {
                const auto r = int128_from_py(raw);
                if (!r)
                    throw py::value_error(std::string(name) + ".from_raw(" + repr_of(raw) +
                                          ") is out of range: the mantissa is a signed 128-bit integer");
                return T::from_raw(*r);
            },
            py::arg("raw"), "From the 128-bit mantissa (value = raw / 1e9).")
        .def_property_readonly(
            "raw", [](const T& x) { return int128_to_py(x.raw()); }, "The 128-bit mantissa: value = raw / 1e9.")
        .def_property_readonly(
            "decimal_places", [](const T& x) { return x.value().decimal_places(); },
            "Decimal places needed to write the value exactly (0..9).")
        .def("as_decimal", &to_python_decimal<T>, "The exact value as a decimal.Decimal.")
        .def("to_float", &T::to_double, "The nearest float (explicit: floats are inexact).")
        .def("__float__", &T::to_double)
        .def("__int__", [](const T& x) { return int128_to_py(x.value().integer_part()); })
        .def("__bool__", [](const T& x) { return !x.is_zero(); })
        .def("__str__", &T::to_string)
        .def("__repr__", [name](const T& x) { return std::string(name) + "('" + x.to_string() + "')"; })
        .def("__format__",
             [](const T& x, const std::string& spec) -> py::object {
                 if (spec.empty()) return py::str(x.to_string());
                 return py::module_::import("builtins").attr("format")(to_python_decimal(x), spec);
             })
        .def("__hash__",
             [name](const T& x) { return py::hash(py::make_tuple(name, x.value().raw_hi(), x.value().raw_lo())); })
        .def("__copy__", [](const T& x) { return x; })
        .def("__deepcopy__", [](const T& x, py::handle) { return x; })
        .def(py::pickle([](const T& x) { return py::make_tuple(int128_to_py(x.raw())); },
                        [name](const py::tuple& t) {
                            const auto r = t.size() == 1 ? int128_from_py(t[0]) : std::nullopt;
                            if (!r) throw py::value_error(std::string(name) + ": invalid pickled state " + repr_of(t));
                            return T::from_raw(*r);
                        }))
        .def("to_string_fixed", &T::to_string_fixed, py::arg("decimals"),
             "Text with exactly `decimals` places ('1.50' for decimals=2); raises if that would round.")
        .def("round_to", &T::round_to, py::arg("increment"), py::arg_v("rounding", Rounding::HalfEven, "Rounding.HALF_EVEN"),
             "The nearest multiple of increment (a tick or step size) in the given rounding direction.")
        .def("is_multiple_of", &T::is_multiple_of, py::arg("increment"), "True if an exact multiple of increment.")
        .def("__neg__", [](const T& x) { return -x; })
        .def("__pos__", [](const T& x) { return x; })
        .def("__abs__", &T::abs);

    // Comparison within the type only; other types are not equal and not orderable.
    cls.def("__eq__", [](const T& a, py::handle b) -> py::object {
        return py::isinstance<T>(b) ? py::bool_(a == b.cast<T>()) : not_implemented();
    });
    cls.def("__ne__", [](const T& a, py::handle b) -> py::object {
        return py::isinstance<T>(b) ? py::bool_(a != b.cast<T>()) : not_implemented();
    });
    cls.def("__lt__", [](const T& a, py::handle b) -> py::object {
        return py::isinstance<T>(b) ? py::bool_(a < b.cast<T>()) : not_implemented();
    });
    cls.def("__le__", [](const T& a, py::handle b) -> py::object {
        return py::isinstance<T>(b) ? py::bool_(a <= b.cast<T>()) : not_implemented();
    });
    cls.def("__gt__", [](const T& a, py::handle b) -> py::object {
        return py::isinstance<T>(b) ? py::bool_(a > b.cast<T>()) : not_implemented();
    });
    cls.def("__ge__", [](const T& a, py::handle b) -> py::object {
        return py::isinstance<T>(b) ? py::bool_(a >= b.cast<T>()) : not_implemented();
    });

    cls.def("__add__", [](const T& a, py::handle b) -> py::object {
        return py::isinstance<T>(b) ? py::cast(a + b.cast<T>()) : not_implemented();
    });
    // 0 + x, so that sum() of a list works.
    cls.def("__radd__", [](const T& a, py::handle b) -> py::object {
        if (py::isinstance<py::int_>(b) && !py::isinstance<py::bool_>(b) && b.cast<py::int_>().equal(py::int_(0)))
            return py::cast(a);
        return not_implemented();
    });
    cls.def("__sub__", [](const T& a, py::handle b) -> py::object {
        return py::isinstance<T>(b) ? py::cast(a - b.cast<T>()) : not_implemented();
    });
    cls.def("__mul__", [](const T& a, py::handle b) -> py::object {
        if (auto s = scalar_from(b)) return py::cast(a * *s);
        return mul_cross<T>(a, b);
    });
    cls.def("__rmul__", [](const T& a, py::handle b) -> py::object {
        if (auto s = scalar_from(b)) return py::cast(a * *s);
        return not_implemented();
    });
    cls.def("__truediv__", [](const T& a, py::handle b) -> py::object {
        if (auto s = scalar_from(b)) return py::cast(a / *s);
        if (py::isinstance<T>(b)) return decimal_class()((a / b.cast<T>()).to_string());
        return div_cross<T>(a, b);
    });
}

}  // namespace

void bind_decimal(py::module_& m) {
    bind_fixed<Price>(m, "Price", "An exact price: fixed-point with 9 decimal places.");
    bind_fixed<Quantity>(m, "Quantity", "An exact quantity (base asset): fixed-point with 9 decimal places.");
    bind_fixed<Money>(m, "Money",
                      "An exact amount of money (quote asset), e.g. Price * Quantity: fixed-point with 9 decimal places.");
}

}  // namespace te::bindings
