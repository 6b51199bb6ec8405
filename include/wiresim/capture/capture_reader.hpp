#pragma once
/// Reads pcap and pcapng files back: for tests and for tools that inspect
/// a run's captures. Not on the simulation path, so it favours strict
/// checking over speed: every length is validated and a malformed file
/// raises CaptureFormatError naming the byte offset and the reason.
///
/// Supported: pcap with microsecond or nanosecond magic in either byte
/// order (draft-ietf-opsawg-pcap); pcapng sections in either byte order
/// with IDB, EPB and skipped non-packet blocks (draft-ietf-opsawg-pcapng),
/// decimal if_tsresol up to 10^-19 s and if_tsoffset. Simple and obsolete
/// Packet Blocks and power-of-two if_tsresol are rejected as unsupported.

#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "wiresim/capture/capture_format.hpp"
#include "wiresim/capture/direction.hpp"

namespace wiresim::capture {

/// A malformed or unsupported capture file. what() = "<source>: offset
/// <n>: <reason>".
class CaptureFormatError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// One capture point: the pcap file header or one pcapng IDB.
struct CapturedInterface {
  std::uint16_t link_type = 0;  ///< LINKTYPE_*, 1 = Ethernet
  std::uint32_t snaplen = 0;    ///< bytes; 0 = no limit (pcapng)
  std::string name;             ///< if_name, "" if absent (always for pcap)
  std::string description;      ///< if_description, "" if absent
};

struct CapturedFrame {
  std::int64_t timestamp_ns = 0;    ///< Unix time, nanoseconds
  std::vector<std::uint8_t> bytes;  ///< captured bytes; size() <= orig_len
  std::uint32_t orig_len = 0;       ///< length on the wire, bytes
  /// Index into CaptureContents::interfaces, counted over the whole file
  /// (equal to the EPB's interface id in a single-section file); 0 for pcap.
  std::uint32_t interface_id = 0;
  std::string comment;  ///< first opt_comment, "" if none
  Direction direction = Direction::kUnknown;

  bool operator==(const CapturedFrame&) const = default;
};

struct CaptureContents {
  CaptureFormat format = CaptureFormat::kPcap;
  std::vector<CapturedInterface> interfaces;
  std::vector<CapturedFrame> frames;  ///< in file order
};

/// Parses a whole capture held in memory. `source` names it in errors.
/// Throws CaptureFormatError.
[[nodiscard]] CaptureContents parse_capture(std::span<const std::uint8_t> bytes,
                                            const std::string& source = "capture");

/// Reads and parses the file at `path`. Throws std::runtime_error if it
/// cannot be read, CaptureFormatError if it is malformed.
[[nodiscard]] CaptureContents read_capture_contents(const std::string& path);

/// The frames of the file at `path`; see read_capture_contents.
[[nodiscard]] std::vector<CapturedFrame> read_capture_file(const std::string& path);

}  // namespace wiresim::capture
