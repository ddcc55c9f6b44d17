#include "replay/csv_scan.hpp"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <limits>

#include "core/errors.hpp"

namespace te::replay::detail {

namespace {

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// A whole number written as digits only, in one pass (std::from_chars alone would take a '-').
bool parse_digits(std::string_view s, std::int64_t& out) noexcept {
    if (s.empty() || !is_digit(s.front())) return false;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc{} && end == s.data() + s.size();
}

// Appended piece by piece: "'" + std::string(s) trips GCC 12's -Wrestrict at -O3 (a false positive).
std::string quoted(std::string_view s) {
    std::string q;
    q.reserve(s.size() + 2);
    q += '\'';
    q += s;
    q += '\'';
    return q;
}

}  // namespace

// ---- LineSource ------------------------------------------------------------------------

LineSource::LineSource(std::string path) : path_(std::move(path)) {
    file_.reset(std::fopen(path_.c_str(), "rb"));
    if (!file_) throw DataError("cannot open " + path_ + ": " + std::strerror(errno));
    buf_.resize(kBlockSize);
}

bool LineSource::next(std::string_view& line) {
    for (;;) {
        if (!take_line(line)) return false;
        if (!line.empty()) break;
        if (first_blank_ == 0) first_blank_ = line_;
    }
    if (first_blank_ != 0)
        Where{path_, first_blank_}.fail("empty line (expected a row; only the lines at the end may be empty)");
    // A UTF-8 byte order mark (spreadsheet exports) is not part of the first field.
    if (line_ == 1 && line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
    return true;
}

// The next line, empty or not; false at the end of the file.
bool LineSource::take_line(std::string_view& line) {
    for (;;) {
        const char* const start = buf_.data() + pos_;
        const auto* nl = static_cast<const char*>(std::memchr(start, '\n', end_ - pos_));
        if (nl == nullptr && !eof_ && refill()) continue;
        if (nl == nullptr && pos_ == end_) return false;
        const std::size_t len = nl != nullptr ? static_cast<std::size_t>(nl - start) : end_ - pos_;
        pos_ += nl != nullptr ? len + 1 : len;
        line = std::string_view(start, len);
        if (line.ends_with('\r')) line.remove_suffix(1);
        ++line_;
        return true;
    }
}

// Moves the unread tail to the front and reads the next block after it; false when the file
// has nothing more. A line longer than the buffer doubles it.
bool LineSource::refill() {
    const std::size_t tail = end_ - pos_;
    if (pos_ > 0) std::memmove(buf_.data(), buf_.data() + pos_, tail);
    pos_ = 0;
    end_ = tail;
    if (end_ == buf_.size()) buf_.resize(buf_.size() * 2);
    const std::size_t got = std::fread(buf_.data() + end_, 1, buf_.size() - end_, file_.get());
    end_ += got;
    if (got == 0) {
        if (std::ferror(file_.get()) != 0) throw DataError(path_ + ": read error: " + std::strerror(errno));
        eof_ = true;
    }
    return got > 0;
}

std::size_t split_fields(std::string_view line, std::span<std::string_view> out) noexcept {
    std::size_t count = 0;
    const char* p = line.data();
    const char* const end = p + line.size();
    for (;;) {
        const auto* comma = static_cast<const char*>(std::memchr(p, ',', static_cast<std::size_t>(end - p)));
        const char* const field_end = comma != nullptr ? comma : end;
        if (count < out.size()) out[count] = std::string_view(p, static_cast<std::size_t>(field_end - p));
        ++count;
        if (comma == nullptr) return count;
        p = comma + 1;
    }
}

// ---- field parsers ---------------------------------------------------------------------

void Where::fail(std::string_view what) const {
    throw DataError(std::string(path) + ":" + std::to_string(line) + ": " + std::string(what));
}

std::string_view unit_name(TimeUnit unit) noexcept {
    return unit == TimeUnit::Millis ? "milliseconds" : "microseconds";
}

UnixNanos nanos_per(TimeUnit unit) noexcept { return unit == TimeUnit::Millis ? kNanosPerMilli : kNanosPerMicro; }

Stamp parse_stamp(std::string_view field, std::string_view name, const Where& where) {
    constexpr std::string_view expected =
        " (expected milliseconds, 13 digits, or microseconds, 16 digits, since 1970)";
    Stamp s;
    if (!parse_digits(field, s.value))
        where.fail(std::string(name) + " " + quoted(field) + " is not a timestamp" + std::string(expected));
    if (field.size() > 13 && field.size() != 16)
        where.fail(std::string(name) + " " + std::string(field) + " has " + std::to_string(field.size()) + " digits" +
                   std::string(expected));
    s.unit = field.size() == 16 ? TimeUnit::Micros : TimeUnit::Millis;
    if (s.value > std::numeric_limits<UnixNanos>::max() / nanos_per(s.unit))
        where.fail(std::string(name) + " " + std::string(field) +
                   " is after 2262-04-11 (expected a time that fits in int64 nanoseconds)");
    return s;
}

void UnitGuard::check(const Stamp& stamp, const Where& where) {
    if (!known_) {
        known_ = true;
        unit_ = stamp.unit;
    } else if (stamp.unit != unit_) {
        where.fail("timestamps switch from " + std::string(unit_name(unit_)) + " to " +
                   std::string(unit_name(stamp.unit)) + " (expected one unit per file, as its first row)");
    }
}

std::int64_t parse_count(std::string_view field, std::string_view name, const Where& where) {
    std::int64_t v = 0;
    if (!parse_digits(field, v))
        where.fail(std::string(name) + " " + quoted(field) + " is not a count (expected a whole number >= 0)");
    return v;
}

Decimal parse_non_negative(std::string_view field, std::string_view name, std::string_view expected,
                           const Where& where) {
    Decimal d;
    const ParseStatus status = Decimal::try_parse(field, d);
    if (status == ParseStatus::Ok && d.sign() >= 0) return d;
    const std::string tail = " (expected " + std::string(expected) + ")";
    switch (status) {
        case ParseStatus::Ok: where.fail(std::string(name) + " " + std::string(field) + " is negative" + tail);
        case ParseStatus::Empty: where.fail(std::string(name) + " is empty" + tail);
        case ParseStatus::TooPrecise:
            where.fail(std::string(name) + " " + std::string(field) + " has more than 9 decimal places" + tail);
        case ParseStatus::Overflow: where.fail(std::string(name) + " " + std::string(field) + " is out of range" + tail);
        case ParseStatus::Syntax: break;
    }
    where.fail(std::string(name) + " " + quoted(field) + " is not a number" + tail);
}

bool parse_bool(std::string_view field, std::string_view name, const Where& where) {
    if (field == "True" || field == "true") return true;
    if (field == "False" || field == "false") return false;
    where.fail(std::string(name) + " " + quoted(field) + " is not a boolean (expected True, true, False or false)");
}

}  // namespace te::replay::detail
