// tradeengine._core: the table of contents of the bindings. Each component registers its
// names in its own bind_*.cpp; the order follows the dependencies (errors first).
#include "bindings/pybind.hpp"

PYBIND11_MODULE(_core, m) {
    m.doc() = "tradeengine's C++ core. Import `tradeengine`, not this module.";
    te::bindings::bind_errors(m);
    te::bindings::bind_logging(m);
    te::bindings::bind_enums(m);
    te::bindings::bind_decimal(m);
    te::bindings::bind_time(m);
    te::bindings::bind_market(m);
    te::bindings::bind_orders(m);
    te::bindings::bind_bus(m);
    te::bindings::bind_engine(m);
    te::bindings::bind_sim(m);
    te::bindings::bind_oms(m);
    te::bindings::bind_node(m);
    te::bindings::bind_replay(m);
}
