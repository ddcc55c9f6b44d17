#pragma once
// A bounded multi-producer, single-consumer ring of values moved in and out (Vyukov's
// bounded queue): producers claim a slot with one CAS, the consumer needs no atomic RMW.
// Any capacity >= 1 works (indices wrap with a modulo, not a mask), so the lane sizes of
// seed 002 (1000, 100, 50) are exact. seal() closes the ring to producers for good without
// any cost to them: the tail's top bit makes every later claim fail.
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <type_traits>
#include <utility>

namespace te {

template <class T>
class BoundedRing {
    static_assert(std::is_nothrow_move_assignable_v<T> && std::is_default_constructible_v<T>);

public:
    explicit BoundedRing(std::size_t capacity) : cap_(capacity) {
        if (capacity == 0) throw std::invalid_argument("BoundedRing capacity must be >= 1");
        cells_ = std::make_unique<Cell[]>(capacity);
        for (std::size_t i = 0; i < capacity; ++i) cells_[i].seq.store(i, std::memory_order_relaxed);
    }

    std::size_t capacity() const noexcept { return cap_; }

    // False when the ring is full or sealed; an rvalue is moved from only when this returns
    // true, so a caller may retry with the same value. `past_seal`: the consumer's own thread
    // may still push into a sealed ring (it drains what it pushes before it stops).
    template <class U>
        requires std::is_same_v<std::remove_cvref_t<U>, T>
    bool try_push(U&& value, bool past_seal = false) noexcept {
        auto pos = tail_.load(std::memory_order_relaxed);
        Cell* cell;
        std::uint64_t at;
        for (;;) {
            if ((pos & kSealed) && !past_seal) return false;
            at = pos & ~kSealed;
            cell = &cells_[at % cap_];
            const auto seq = cell->seq.load(std::memory_order_acquire);
            const auto diff = static_cast<std::int64_t>(seq - at);
            if (diff == 0) {
                if (tail_.compare_exchange_weak(pos, pos + 1, std::memory_order_relaxed)) break;
            } else if (diff < 0) {
                return false;
            } else {
                pos = tail_.load(std::memory_order_relaxed);
            }
        }
        cell->value = std::forward<U>(value);
        cell->seq.store(at + 1, std::memory_order_release);
        return true;
    }

    // Single consumer only. False when empty (or when the next producer has claimed its slot
    // but not yet written it; the value then shows up on a later call).
    bool try_pop(T& out) noexcept {
        const auto pos = head_.load(std::memory_order_relaxed);
        Cell& cell = cells_[pos % cap_];
        const auto seq = cell.seq.load(std::memory_order_acquire);
        if (static_cast<std::int64_t>(seq - (pos + 1)) < 0) return false;
        out = std::move(cell.value);
        cell.seq.store(pos + cap_, std::memory_order_release);
        head_.store(pos + 1, std::memory_order_release);
        return true;
    }

    // Positions: how many values were ever pushed (tail) and popped (head). A slot claimed
    // but not yet written counts as pushed: it shows up in try_pop() shortly.
    std::uint64_t head() const noexcept { return head_.load(std::memory_order_acquire); }
    std::uint64_t tail() const noexcept { return tail_.load(std::memory_order_acquire) & ~kSealed; }

    // Approximate when producers or the consumer are active; exact when quiescent.
    std::size_t size() const noexcept {
        const auto h = head_.load(std::memory_order_acquire);
        const auto t = tail();
        return t > h ? static_cast<std::size_t>(t - h) : 0;
    }

    // Refuses every later push (for good). Pushes that claimed their slot before still land,
    // so the consumer drains until size() is 0.
    void seal() noexcept { tail_.fetch_or(kSealed, std::memory_order_acq_rel); }
    bool sealed() const noexcept { return (tail_.load(std::memory_order_acquire) & kSealed) != 0; }

private:
    static constexpr std::uint64_t kSealed = std::uint64_t{1} << 63;
    struct alignas(64) Cell {
        std::atomic<std::uint64_t> seq{0};
        T value{};
    };
    std::size_t cap_;
    std::unique_ptr<Cell[]> cells_;
    alignas(64) std::atomic<std::uint64_t> tail_{0};
    alignas(64) std::atomic<std::uint64_t> head_{0};
};

}  // namespace te
