#pragma once
/// A message body: immutable bytes behind a shared pointer, so a site file
/// of several MB is loaded once and every response that sends it shares
/// the same buffer (DESIGN.md: share immutable buffers, no payload copies).

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace wiresim::http {

class Body {
 public:
  /// An empty body (no allocation).
  Body() = default;
  /// Takes ownership of `bytes` (moved, not copied).
  explicit Body(std::string bytes);
  /// Shares an existing immutable buffer; a null pointer is an empty body.
  explicit Body(std::shared_ptr<const std::string> bytes) : bytes_(std::move(bytes)) {}

  [[nodiscard]] std::string_view view() const { return bytes_ ? std::string_view{*bytes_} : std::string_view{}; }
  [[nodiscard]] std::size_t size() const { return bytes_ ? bytes_->size() : 0; }
  [[nodiscard]] bool empty() const { return size() == 0; }
  /// The shared buffer (null for an empty default body).
  [[nodiscard]] const std::shared_ptr<const std::string>& shared() const { return bytes_; }

  /// Equal contents (not identity).
  bool operator==(const Body& o) const { return view() == o.view(); }

 private:
  std::shared_ptr<const std::string> bytes_;
};

}  // namespace wiresim::http
