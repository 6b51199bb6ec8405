#pragma once
/// Writes classic pcap files (draft-ietf-opsawg-pcap) with nanosecond
/// timestamps, magic 0xA1B23C4D, little-endian, LINKTYPE_ETHERNET.
/// One capture point per file; for several, use PcapngWriter.

#include <cstdint>
#include <span>
#include <string>

#include "wiresim/capture/buffered_file.hpp"
#include "wiresim/core/time.hpp"

namespace wiresim::capture {

/// Move-constructible (the moved-from writer is closed), not copyable.
class PcapWriter {
 public:
  /// Bytes of each frame kept when no snaplen is given (libpcap's default).
  static constexpr std::uint32_t kDefaultSnaplen = 262144;
  /// LINKTYPE_ETHERNET: frames start with the Ethernet II header, no FCS.
  static constexpr std::uint32_t kLinkTypeEthernet = 1;

  /// Creates `path` and writes the file header. `epoch_ns` is the Unix time
  /// in ns of simulated t=0. `snaplen` (> 0) is the most bytes kept per
  /// frame. Throws std::runtime_error (path and OS reason) if the file
  /// cannot be created, std::invalid_argument if snaplen is 0.
  PcapWriter(std::string path, std::int64_t epoch_ns, std::uint32_t snaplen = kDefaultSnaplen);

  /// Appends one record: `frame` captured at simulated time `t`, truncated
  /// to snaplen, with its full length as orig_len. Throws std::out_of_range
  /// if the Unix time of `t` is before 1970 or past 2106 (32-bit seconds),
  /// std::logic_error after close().
  void write(Time t, std::span<const std::uint8_t> frame);
  /// Hands buffered records to the OS. Throws std::runtime_error.
  void flush();
  /// Flushes and closes the file; later writes throw. The destructor closes
  /// too, but swallows errors.
  void close();

  [[nodiscard]] std::uint64_t packets_written() const { return packets_; }
  [[nodiscard]] std::uint32_t snaplen() const { return snaplen_; }
  [[nodiscard]] const std::string& path() const { return file_.path(); }

 private:
  void write_file_header();

  BufferedFile file_;
  std::int64_t epoch_ns_;
  std::uint32_t snaplen_;
  std::uint64_t packets_ = 0;
};

}  // namespace wiresim::capture
