#include "wiresim/wire/result.hpp"

namespace wiresim::wire {

const char* to_string(ParseError e) {
  switch (e) {
    case ParseError::kTruncated: return "truncated: fewer bytes than the header needs or declares";
    case ParseError::kBadVersion: return "IP version is not 4";
    case ParseError::kBadHeaderLength: return "IPv4 header length (IHL) below 5";
    case ParseError::kBadTotalLength: return "IPv4 total length smaller than its header";
    case ParseError::kBadChecksum: return "checksum mismatch";
    case ParseError::kBadOptionLength: return "TCP option length invalid or past the header";
    case ParseError::kBadDataOffset: return "TCP data offset below 5 or beyond the segment";
    case ParseError::kFragmented: return "IPv4 fragment (fragmentation unsupported)";
    case ParseError::kBadAddress: return "malformed address";
  }
  return "unknown parse error";
}

}  // namespace wiresim::wire
