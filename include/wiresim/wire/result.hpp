#pragma once
/// Parse errors and a minimal Result<T> (C++20 has no std::expected).

#include "wiresim/core/result.hpp"

namespace wiresim::wire {

/// Why bytes were rejected. Receivers count drops per reason.
enum class ParseError {
  kTruncated,         ///< buffer ends before the bytes a header needs or declares
  kBadVersion,        ///< IPv4 version field is not 4
  kBadHeaderLength,   ///< IPv4 IHL < 5
  kBadTotalLength,    ///< IPv4 total length smaller than the header
  kBadChecksum,       ///< a checksum does not verify
  kBadOptionLength,   ///< TCP option with a length < 2, past the header, or wrong for its kind
  kBadDataOffset,     ///< TCP data offset < 5 or beyond the segment
  kFragmented,        ///< IPv4 fragment (MF set or offset != 0): not supported
  kBadAddress,        ///< text address that does not parse
};

/// A short human-readable reason, e.g. "TCP data offset out of range".
const char* to_string(ParseError e);

/// Either a T or the ParseError that prevented it.
template <class T>
using Result = wiresim::Result<T, ParseError>;

}  // namespace wiresim::wire
