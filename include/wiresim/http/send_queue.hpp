#pragma once
/// Bytes waiting to go into a TCP socket, with backpressure: a queue of
/// shared immutable buffers (a response head, a site file's body) that
/// flush() hands to Socket::send as far as the send buffer takes them; the
/// owner calls flush() again from on_writable. Bodies are never copied
/// into the queue; only when a short piece (a head) is followed by more
/// are the pieces gathered into one send() of at most the free send
/// space, so that a head and the start of its body leave in one segment.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>

#include "wiresim/tcp/socket.hpp"

namespace wiresim::http {

class SendQueue {
 public:
  /// Appends `bytes[offset, offset + length)`; `bytes` stays shared.
  void push(std::shared_ptr<const std::string> bytes, std::size_t offset, std::size_t length);
  /// Appends all of `bytes` (an empty pointer or string adds nothing).
  void push(std::shared_ptr<const std::string> bytes);
  /// Appends a copy of `bytes` (for small pieces such as a head).
  void push_copy(std::string bytes);

  /// Sends as much as `socket` takes now. Returns true when the queue is
  /// empty afterwards.
  bool flush(tcp::Socket& socket);

  [[nodiscard]] bool empty() const { return pieces_.empty(); }
  /// Bytes still queued.
  [[nodiscard]] std::uint64_t queued() const { return queued_; }
  /// Drops everything queued.
  void clear();

 private:
  struct Piece {
    std::shared_ptr<const std::string> bytes;
    std::size_t offset = 0;  ///< next byte to send
    std::size_t end = 0;     ///< one past the last byte to send
    [[nodiscard]] std::string_view rest() const {
      return std::string_view{*bytes}.substr(offset, end - offset);
    }
  };

  /// Pieces after a short first one, gathered into scratch_ (at most `space` bytes).
  std::string_view gather(std::size_t space);
  /// Marks `n` bytes from the front as sent.
  void consume(std::size_t n);

  std::deque<Piece> pieces_;
  std::uint64_t queued_ = 0;
  std::string scratch_;  ///< reused for gathering: no allocation in steady state
};

}  // namespace wiresim::http
