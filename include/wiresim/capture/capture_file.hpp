#pragma once
/// One capture file, pcap or pcapng, that taps write into. pcapng keeps one
/// interface (IDB) per capture point, direction flags and packet comments;
/// classic pcap has a single link type, no comments and no directions.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "wiresim/capture/capture_format.hpp"
#include "wiresim/capture/direction.hpp"
#include "wiresim/capture/pcap_writer.hpp"
#include "wiresim/capture/pcapng_writer.hpp"
#include "wiresim/core/time.hpp"

namespace wiresim::capture {

/// "pcap" / "pcapng".
std::string_view to_string(CaptureFormat f);
std::optional<CaptureFormat> parse_capture_format(std::string_view s);

class CaptureFile {
 public:
  /// Opens `path` for writing. `epoch_ns` is the Unix time of simulated t=0.
  CaptureFile(std::string path, CaptureFormat format, std::int64_t epoch_ns,
              std::uint32_t snaplen = PcapWriter::kDefaultSnaplen);

  /// A capture point inside this file. pcapng: a new interface description;
  /// pcap: always interface 0.
  std::uint32_t add_interface(std::string_view name, std::string_view description);
  /// Whether comments (e.g. why a frame was dropped) can be recorded.
  [[nodiscard]] bool supports_comments() const { return format_ == CaptureFormat::kPcapng; }

  /// Writes one frame; returns its 1-based frame number in this file (the
  /// number Wireshark shows).
  std::uint64_t write(std::uint32_t iface, Time t, std::span<const std::uint8_t> frame,
                      std::string_view comment = {}, Direction dir = Direction::kUnknown);

  [[nodiscard]] std::uint64_t frames_written() const { return frames_; }
  [[nodiscard]] CaptureFormat format() const { return format_; }
  [[nodiscard]] const std::string& path() const { return path_; }
  void close();

 private:
  std::string path_;
  CaptureFormat format_;
  std::optional<PcapWriter> pcap_;
  std::optional<PcapngWriter> pcapng_;
  std::uint64_t frames_ = 0;
};

}  // namespace wiresim::capture
