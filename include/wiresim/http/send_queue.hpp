#pragma once
/// Bytes waiting to go into a TCP socket, with backpressure: a queue of
/// shared immutable buffers (a response head, a site file's body) that
/// flush() hands to the socket by reference (Socket::send_shared) as far as
/// the send buffer takes them; the owner calls flush() again from
/// on_writable. Bodies are never copied, neither into the queue nor into
/// the socket. When a short piece (a head) is followed by more, the pieces
/// go in one gathered write of at most the free send space, so that a head
/// and the start of its body leave in one segment.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

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

  /// Fills batch_ with the next write: the front piece, or (`gather`) the
  /// pieces from the front up to `space` bytes. Returns its size.
  std::size_t next_write(bool gather, std::size_t space);
  /// Marks `n` bytes from the front as sent.
  void consume(std::size_t n);

  std::deque<Piece> pieces_;
  std::uint64_t queued_ = 0;
  std::vector<tcp::SharedBytes> batch_;  ///< reused for each write: no allocation in steady state
};

}  // namespace wiresim::http
