#pragma once
/// Writes pcapng files (draft-ietf-opsawg-pcapng): one little-endian
/// section, one Interface Description Block per capture point, one Enhanced
/// Packet Block per frame, nanosecond timestamps (if_tsresol = 9).
///
/// Interfaces may be added at any time, also after packets: each IDB is
/// written where add_interface() is called, so it always precedes the
/// packets that name it, as §4.2 requires. Wireshark 4.0 reads such files
/// (tests/capture check it with tshark). Interface ids count from 0 in the
/// order of add_interface() calls.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "wiresim/capture/buffered_file.hpp"
#include "wiresim/capture/direction.hpp"
#include "wiresim/core/time.hpp"

namespace wiresim::capture {

/// Move-constructible (the moved-from writer is closed), not copyable.
class PcapngWriter {
 public:
  /// Bytes of each frame kept when no snaplen is given (libpcap's default).
  static constexpr std::uint32_t kDefaultSnaplen = 262144;
  /// The shb_userappl option of every file.
  static constexpr std::string_view kUserApplication = "wiresim";

  /// Creates `path` and writes the Section Header Block. `epoch_ns` is the
  /// Unix time in ns of simulated t=0. Throws std::runtime_error (path and
  /// OS reason) if the file cannot be created.
  PcapngWriter(std::string path, std::int64_t epoch_ns);

  /// Writes an IDB for an Ethernet capture point and returns its id.
  /// Empty `name`/`description` omit if_name/if_description. `snaplen` is
  /// the most bytes kept per frame; 0 means no limit (§4.2). Throws
  /// std::length_error if a string exceeds 65535 bytes (the option limit).
  std::uint32_t add_interface(std::string_view name, std::string_view description,
                              std::uint32_t snaplen = kDefaultSnaplen);

  /// Writes an EPB: `frame` seen on interface `iface` at simulated time
  /// `t`, truncated to the interface's snaplen. A non-empty `comment`
  /// (UTF-8, at most 65535 bytes) becomes opt_comment; a known `dir`
  /// becomes epb_flags. Throws std::out_of_range for an unknown interface
  /// or a time before 1970, std::length_error for an oversized comment,
  /// std::logic_error after close().
  void write(std::uint32_t iface, Time t, std::span<const std::uint8_t> frame, std::string_view comment = {},
             Direction dir = Direction::kUnknown);

  /// Hands buffered blocks to the OS. Throws std::runtime_error.
  void flush();
  /// Flushes and closes the file; later calls to write or add_interface
  /// throw. The destructor closes too, but swallows errors.
  void close();

  [[nodiscard]] std::uint64_t packets_written() const { return packets_; }
  [[nodiscard]] std::uint32_t interface_count() const { return static_cast<std::uint32_t>(snaplens_.size()); }
  [[nodiscard]] const std::string& path() const { return file_.path(); }

 private:
  void write_section_header();
  void require_open(const char* what) const;

  BufferedFile file_;
  std::int64_t epoch_ns_;
  std::vector<std::uint32_t> snaplens_;  ///< per interface id; 0 = no limit
  std::uint64_t packets_ = 0;
};

}  // namespace wiresim::capture
