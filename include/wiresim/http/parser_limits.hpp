#pragma once
/// Bounds on what a parser buffers, so that no input can make it grow
/// without limit. Exceeding one is a specific ParseError.

#include <cstddef>
#include <cstdint>

namespace wiresim::http {

struct ParserLimits {
  /// Request-line or status-line bytes, CRLF excluded (RFC 9112 §3
  /// recommends supporting at least 8000).
  std::size_t max_start_line = 8000;
  /// One field line (header or trailer) or chunk-size line, CRLF excluded.
  std::size_t max_header_line = 8192;
  /// Field lines in one header or trailer section.
  std::size_t max_header_count = 100;
  /// All field lines of one section, each counted with a 2-byte CRLF.
  std::size_t max_header_bytes = 64 * 1024;
  /// Decoded body bytes of one message.
  std::uint64_t max_body = 64 * 1024 * 1024;
};

}  // namespace wiresim::http
