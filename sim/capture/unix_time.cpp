#include "wiresim/capture/unix_time.hpp"

#include <stdexcept>
#include <string>

namespace wiresim::capture {

std::uint64_t to_unix_ns(std::int64_t epoch_ns, Time t) {
  std::int64_t sum = 0;
  if (__builtin_add_overflow(epoch_ns, t.ns(), &sum) || sum < 0) {
    throw std::out_of_range("capture timestamp out of range: epoch_ns " + std::to_string(epoch_ns) + " + t " +
                            std::to_string(t.ns()) + "ns is not a time after 1970");
  }
  return static_cast<std::uint64_t>(sum);
}

}  // namespace wiresim::capture
