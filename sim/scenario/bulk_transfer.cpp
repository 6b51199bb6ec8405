#include "wiresim/scenario/bulk_transfer.hpp"

#include <algorithm>
#include <cstring>

#include "wiresim/core/rng.hpp"

namespace wiresim::scenario {

namespace {
constexpr std::size_t kChunk = 16384;  ///< bytes offered to / read from TCP per call
}  // namespace

std::uint8_t bulk_pattern_byte(std::uint64_t offset) {
  const std::uint64_t i = offset % kBulkPatternPeriod;
  return static_cast<std::uint8_t>(mix64(i >> 3) >> ((i & 7) * 8));
}

const std::shared_ptr<const std::vector<std::uint8_t>>& bulk_pattern_table() {
  // A function-local constant: initialised once (thread-safe), never changed.
  static const std::shared_ptr<const std::vector<std::uint8_t>> table = [] {
    std::vector<std::uint8_t> t(kBulkPatternPeriod + kChunk);
    for (std::size_t i = 0; i < t.size(); ++i) t[i] = bulk_pattern_byte(i);
    return std::make_shared<const std::vector<std::uint8_t>>(std::move(t));
  }();
  return table;
}

BulkTransfer::BulkTransfer(Simulator& sim, tcp::TcpStack& from, tcp::TcpStack& to, wire::Ipv4Address to_address,
                           std::uint16_t port, std::uint64_t bytes, Time start, AppDoneSink& done)
    : sim_(sim),
      from_(from),
      to_address_(to_address),
      port_(port),
      total_(bytes),
      done_(done),
      pattern_(bulk_pattern_table()) {
  listener_ = to.listen(port, 16, *this);
  result_.started = start;
  sim_.schedule_at(start, [this] { this->start(); });
}

void BulkTransfer::start() { sender_ = from_.connect(to_address_, port_, *this); }

void BulkTransfer::on_connected(tcp::Socket& /*s*/) { pump(); }

void BulkTransfer::on_writable(tcp::Socket& s) {
  if (s == sender_) pump();
}

/// Offers the next pattern bytes until the send buffer is full; closes the
/// sending side after the last byte. The bytes are queued by reference to
/// the shared table: a sender holds no copy of what it has in flight.
void BulkTransfer::pump() {
  while (result_.bytes_sent < total_) {
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(kChunk, total_ - result_.bytes_sent));
    const std::size_t at = static_cast<std::size_t>(result_.bytes_sent % kBulkPatternPeriod);
    const std::size_t taken = sender_.send_shared(pattern_, std::span<const std::uint8_t>(pattern_->data() + at, n));
    result_.bytes_sent += taken;
    if (taken < n) return;  // on_writable resumes
  }
  sender_.close();
}

void BulkTransfer::on_acceptable(tcp::Listener& l) {
  if (auto s = l.accept(*this)) receiver_ = *s;
}

void BulkTransfer::on_readable(tcp::Socket& s) {
  if (!(s == receiver_)) return;
  // Checked in place, kChunk bytes at a time: on the wire as read() of
  // kChunk-byte pieces, without copying them out of the receive buffer.
  for (;;) {
    const auto runs = s.peek(kChunk);
    if (runs[0].empty()) break;
    result_.bytes_corrupt += count_corrupt(result_.bytes_received, runs[0]);
    result_.bytes_corrupt += count_corrupt(result_.bytes_received + runs[0].size(), runs[1]);
    result_.bytes_received += s.consume(runs[0].size() + runs[1].size());
  }
  if (result_.bytes_received == total_ && !result_.completed) result_.completed = sim_.now();
}

std::uint64_t BulkTransfer::count_corrupt(std::uint64_t offset, std::span<const std::uint8_t> data) const {
  if (data.empty()) return 0;
  const std::uint8_t* expected = pattern_->data() + offset % kBulkPatternPeriod;
  if (std::memcmp(data.data(), expected, data.size()) == 0) return 0;  // the common case
  std::uint64_t bad = 0;
  for (std::size_t i = 0; i < data.size(); ++i) bad += data[i] != expected[i] ? 1u : 0u;
  return bad;
}

void BulkTransfer::on_peer_closed(tcp::Socket& s) {
  if (s == receiver_) {
    on_readable(s);
    s.close();
    listener_.close();
    finish(result_.bytes_received == total_ ? std::string{} : "the sender closed before all bytes arrived");
  }
}

void BulkTransfer::on_error(tcp::Socket& s, tcp::ConnectionError e) {
  finish(std::string(s == sender_ ? "sender: " : "receiver: ") + std::string(tcp::to_string(e)));
}

void BulkTransfer::finish(std::string error) {
  if (finished_) return;
  finished_ = true;
  result_.error = std::move(error);
  done_.app_done();
}

}  // namespace wiresim::scenario
