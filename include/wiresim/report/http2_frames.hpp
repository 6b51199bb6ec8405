#pragma once
/// HTTP/2 frames in a capture, for `wiresim explain`: which frames (type
/// and stream, RFC 9113 §4.1 and §6) start in each TCP segment of a
/// cleartext HTTP/2 connection, as Wireshark's Info column names them.
///
/// A connection is HTTP/2 when its client's byte stream starts with the
/// connection preface (RFC 9113 §3.4, "PRI * HTTP/2.0..."): the h2c with
/// prior knowledge that wiresim's `protocol: h2` speaks. Each direction's
/// bytes are put back in order by sequence number (the first copy of each
/// byte wins, so a resend is labelled as the segment it repeats); frames
/// are read from the start until the first byte the capture never saw.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "wiresim/report/run_folder.hpp"

namespace wiresim::report {

/// One segment's payload, as captured; `payloads[i]` belongs to `segs[i]`.
/// Sets CapturedSegment::http2 for every segment in which an HTTP/2 frame
/// header (or the preface) starts: "Magic, SETTINGS[0], HEADERS[1] END_STREAM".
void label_http2_frames(std::vector<CapturedSegment>& segs, const std::vector<std::span<const std::uint8_t>>& payloads);

/// RFC 9113 §6's name of frame type `type` ("DATA", ..., "CONTINUATION"),
/// "UNKNOWN(0x..)" for another.
[[nodiscard]] std::string http2_frame_type_name(std::uint8_t type);

}  // namespace wiresim::report
