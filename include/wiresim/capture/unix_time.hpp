#pragma once
/// Capture files timestamp frames in Unix time; the simulator counts from
/// t=0. Writers map one to the other with `epoch_ns`, the Unix time in
/// nanoseconds of simulated t=0, so captures do not open in 1970.

#include <cstdint>

#include "wiresim/core/time.hpp"

namespace wiresim::capture {

/// Nanoseconds since 1970-01-01T00:00:00Z of simulated time `t`, i.e.
/// epoch_ns + t.ns(). Throws std::out_of_range if that is negative or does
/// not fit in 63 bits.
[[nodiscard]] std::uint64_t to_unix_ns(std::int64_t epoch_ns, Time t);

}  // namespace wiresim::capture
