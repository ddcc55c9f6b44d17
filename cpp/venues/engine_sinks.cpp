#include "venues/engine_sinks.hpp"

#include "core/logging.hpp"

namespace te {

void EngineExecutionSink::on_order_update(const OrderUpdate& update) noexcept {
    Event e = Event::order_update(update);
    if (for_order_manager_.load(std::memory_order_relaxed)) e.type = EventType::VenueOrderUpdate;
    engine_.on_order_event(e);
}

void EngineExecutionSink::on_fill(const Fill& fill) noexcept {
    Event e = Event::fill(fill);
    if (for_order_manager_.load(std::memory_order_relaxed)) e.type = EventType::VenueFill;
    engine_.on_order_event(e);
}

void EngineExecutionSink::on_balance(const Balance& balance) noexcept {
    Event e(EventType::BalanceUpdate, balance);
    e.ts_event = balance.ts_event;
    e.ts_recv = engine_.clock().now_ns();
    engine_.on_order_event(e);
}

void EngineExecutionSink::on_alert(std::string_view kind, std::string_view message) noexcept {
    AlertInfo info;
    copy_text(info.kind, kind);
    copy_text(info.message, message);
    info.ts = engine_.clock().now_ns();
    Event e(EventType::Alert, info);
    e.ts_event = e.ts_recv = info.ts;
    // An alert is for a person as much as for handlers: it is always in the log too.
    try {
        log::warn("alert", std::string(message), {{"kind", std::string(kind)}});
    } catch (...) {
    }
    engine_.on_order_event(e);
}

}  // namespace te
