#include "wiresim/http/send_queue.hpp"

#include <algorithm>

namespace wiresim::http {
namespace {

/// A front piece shorter than this is gathered with what follows it.
constexpr std::size_t kGatherBelow = 16 * 1024;

}  // namespace

void SendQueue::push(std::shared_ptr<const std::string> bytes, std::size_t offset, std::size_t length) {
  if (!bytes || length == 0) return;
  const std::size_t end = std::min(bytes->size(), offset + length);
  if (offset >= end) return;
  queued_ += end - offset;
  pieces_.push_back(Piece{std::move(bytes), offset, end});
}

void SendQueue::push(std::shared_ptr<const std::string> bytes) {
  const std::size_t n = bytes ? bytes->size() : 0;
  push(std::move(bytes), 0, n);
}

void SendQueue::push_copy(std::string bytes) { push(std::make_shared<const std::string>(std::move(bytes))); }

bool SendQueue::flush(tcp::Socket& socket) {
  while (!pieces_.empty()) {
    // With no space, the socket still gets the front piece: taking less
    // than offered is what makes TCP report on_writable later.
    const std::size_t space = socket.send_space();
    const std::size_t front = pieces_.front().end - pieces_.front().offset;
    const bool gather = front < kGatherBelow && front < space && pieces_.size() > 1;
    const std::size_t offered = next_write(gather, space);
    const std::size_t n = socket.send_shared(batch_);
    batch_.clear();  // the socket holds its own references
    consume(n);
    if (n < offered) break;
  }
  return pieces_.empty();
}

std::size_t SendQueue::next_write(bool gather, std::size_t space) {
  std::size_t offered = 0;
  for (const Piece& p : pieces_) {
    if (gather && offered >= space) break;
    const std::string_view rest = p.rest();
    const std::size_t n = gather ? std::min(rest.size(), space - offered) : rest.size();
    batch_.push_back(tcp::SharedBytes{p.bytes, std::span(reinterpret_cast<const std::uint8_t*>(rest.data()), n)});
    offered += n;
    if (!gather) break;
  }
  return offered;
}

void SendQueue::consume(std::size_t n) {
  queued_ -= n;
  while (n > 0 && !pieces_.empty()) {
    Piece& p = pieces_.front();
    const std::size_t take = std::min(n, p.end - p.offset);
    p.offset += take;
    n -= take;
    if (p.offset == p.end) pieces_.pop_front();
  }
}

void SendQueue::clear() {
  pieces_.clear();
  queued_ = 0;
}

}  // namespace wiresim::http
