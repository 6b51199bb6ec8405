#pragma once
/// The `bulk` app: one TCP connection carrying `bytes` from one host to
/// another, for throughput experiments. The payload is a deterministic
/// pattern of the stream offset, so the receiver checks every byte.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "wiresim/tcp/socket.hpp"
#include "wiresim/tcp/tcp_stack.hpp"

namespace wiresim::scenario {

/// Told when a client app has finished (successfully or not).
class AppDoneSink {
 public:
  virtual ~AppDoneSink() = default;
  virtual void app_done() = 0;

 protected:
  AppDoneSink() = default;
  AppDoneSink(const AppDoneSink&) = default;
  AppDoneSink& operator=(const AppDoneSink&) = default;
};

/// Byte `offset` of every bulk stream: a fixed pseudo-random block of
/// kBulkPatternPeriod bytes, repeated. The period is prime, so segment and
/// buffer boundaries never line up with it.
inline constexpr std::size_t kBulkPatternPeriod = 65'521;
std::uint8_t bulk_pattern_byte(std::uint64_t offset);
/// One period of the pattern followed by its first 16 KiB again (the app's
/// chunk), so any chunk from offset % period is contiguous. Built
/// once per process, immutable, shared by every bulk app and by the send
/// buffers that queue it (the sender copies nothing).
const std::shared_ptr<const std::vector<std::uint8_t>>& bulk_pattern_table();

struct BulkResult {
  std::uint64_t bytes_sent = 0;      ///< accepted by the sender's TCP
  std::uint64_t bytes_received = 0;  ///< read by the receiving app
  std::uint64_t bytes_corrupt = 0;   ///< received bytes that differ from the pattern
  Time started{};
  std::optional<Time> completed;     ///< when the last byte was read
  std::string error;                 ///< empty, or why the transfer failed
};

class BulkTransfer final : public tcp::SocketHandler, public tcp::ListenHandler {
 public:
  BulkTransfer(Simulator& sim, tcp::TcpStack& from, tcp::TcpStack& to, wire::Ipv4Address to_address,
               std::uint16_t port, std::uint64_t bytes, Time start, AppDoneSink& done);
  BulkTransfer(const BulkTransfer&) = delete;
  BulkTransfer& operator=(const BulkTransfer&) = delete;

  [[nodiscard]] const BulkResult& result() const { return result_; }
  [[nodiscard]] bool finished() const { return finished_; }

  // tcp::SocketHandler (both ends; told apart by the socket)
  void on_connected(tcp::Socket& s) override;
  void on_readable(tcp::Socket& s) override;
  void on_writable(tcp::Socket& s) override;
  void on_peer_closed(tcp::Socket& s) override;
  void on_error(tcp::Socket& s, tcp::ConnectionError e) override;
  // tcp::ListenHandler
  void on_acceptable(tcp::Listener& l) override;

 private:
  void start();
  void pump();
  /// Counts bytes of `data` (starting at stream offset `offset`) that differ from the pattern.
  [[nodiscard]] std::uint64_t count_corrupt(std::uint64_t offset, std::span<const std::uint8_t> data) const;
  void finish(std::string error);

  Simulator& sim_;
  tcp::TcpStack& from_;
  wire::Ipv4Address to_address_;
  std::uint16_t port_;
  std::uint64_t total_;
  AppDoneSink& done_;
  tcp::Listener listener_;
  tcp::Socket sender_;
  tcp::Socket receiver_;
  std::shared_ptr<const std::vector<std::uint8_t>> pattern_;  ///< bulk_pattern_table()
  BulkResult result_;
  bool finished_ = false;
};

}  // namespace wiresim::scenario
