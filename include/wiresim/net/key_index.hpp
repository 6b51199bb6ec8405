#pragma once
/// A sorted array of 32-bit keys (IPv4 addresses, networks) with a small
/// directory of every kBlock-th key, for exact-match lookups in large sets:
/// a lookup binary-searches the directory (2.5 KB for 10,000 keys, which
/// stays in the L1 cache), then one block of kBlock keys (64 bytes: one or
/// two cache lines), instead of touching a cold line at each of the last
/// steps of a binary search over every key (issue 19: a router with 10,000
/// client subnets looked up per forwarded packet). Small sets (at most
/// 2 * kBlock keys) keep no directory. Order and results are those of a
/// plain sorted array: the directory only narrows the search.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace wiresim::net {

class KeyIndex {
 public:
  /// Keys per directory block: 16 x 4 bytes, one cache line.
  static constexpr std::size_t kBlock = 16;

  /// Position of the first key >= `key` (size() if none).
  [[nodiscard]] std::size_t lower_bound(std::uint32_t key) const {
    return static_cast<std::size_t>(std::lower_bound(keys_.begin(), keys_.end(), key) - keys_.begin());
  }
  /// Position of `key`; size() if absent.
  [[nodiscard]] std::size_t find(std::uint32_t key) const {
    if (directory_.empty()) {
      // At most 2 * kBlock keys (two cache lines): a scan without the
      // binary search's unpredictable branches (a host's own addresses).
      for (std::size_t i = 0; i < keys_.size(); ++i) {
        if (keys_[i] == key) return i;
      }
      return keys_.size();
    }
    // The block whose first key is the last one <= key holds it, if any.
    const auto d = std::upper_bound(directory_.begin(), directory_.end(), key);
    if (d == directory_.begin()) return keys_.size();
    const auto block = static_cast<std::size_t>(d - directory_.begin()) - 1;
    const auto first = keys_.begin() + static_cast<std::ptrdiff_t>(block * kBlock);
    const auto last = keys_.begin() + static_cast<std::ptrdiff_t>(std::min(keys_.size(), (block + 1) * kBlock));
    const auto k = std::lower_bound(first, last, key);
    return k != last && *k == key ? static_cast<std::size_t>(k - keys_.begin()) : keys_.size();
  }
  [[nodiscard]] bool contains(std::uint32_t key) const { return find(key) != keys_.size(); }
  /// Inserts `key` at `pos`, which must keep the keys sorted (lower_bound(key)).
  void insert_at(std::size_t pos, std::uint32_t key) {
    keys_.insert(keys_.begin() + static_cast<std::ptrdiff_t>(pos), key);
    reindex();
  }
  void erase_at(std::size_t pos) {
    keys_.erase(keys_.begin() + static_cast<std::ptrdiff_t>(pos));
    reindex();
  }
  [[nodiscard]] std::size_t size() const { return keys_.size(); }
  [[nodiscard]] bool empty() const { return keys_.empty(); }
  [[nodiscard]] std::uint32_t operator[](std::size_t i) const { return keys_[i]; }

 private:
  void reindex() {
    directory_.clear();
    if (keys_.size() <= 2 * kBlock) return;
    for (std::size_t i = 0; i < keys_.size(); i += kBlock) directory_.push_back(keys_[i]);
  }
  std::vector<std::uint32_t> keys_;       ///< sorted, unique
  std::vector<std::uint32_t> directory_;  ///< directory_[b] == keys_[b * kBlock]
};

}  // namespace wiresim::net
