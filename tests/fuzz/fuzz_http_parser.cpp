/// Fuzzes the incremental HTTP/1.1 parsers (RequestParser, ResponseParser)
/// with a byte stream fed in pieces whose split points the input chooses,
/// and checks their promise that the split does not matter: the same
/// messages and the same error as when the stream comes in one piece.
///
/// Input layout:
///   byte 0     bit 0: response parser (else request); bit 1: finish() at the end;
///              bits 2-4: how many requests the response parser expects
///   byte 1     bit i: the i-th expected request is HEAD (else GET)
///   byte 2     k, the number of split sizes (mod 64)
///   k bytes    piece sizes (size byte n = n + 1 bytes, used cyclically)
///   the rest   the stream as it arrives on the connection

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "fuzz_support.hpp"
#include "wiresim/http/parser.hpp"

namespace {

using namespace wiresim::http;

struct Outcome {
  std::vector<Parsed<Request>> requests;
  std::vector<Parsed<Response>> responses;
  std::optional<ParseError> error;
  bool operator==(const Outcome&) const = default;
};

template <class Parser, class Taken>
void drain(Parser& p, Taken& out) {
  while (auto m = p.next()) out.push_back(std::move(*m));
}

Outcome run(const std::vector<std::string_view>& pieces, bool response, bool finish, unsigned expected,
            std::uint8_t head_mask) {
  Outcome o;
  if (response) {
    ResponseParser p;
    for (unsigned i = 0; i < expected; ++i) p.expect((head_mask >> i) & 1U ? "HEAD" : "GET");
    for (const std::string_view piece : pieces) {
      p.feed(piece);
      // What the browser looks at while a response arrives.
      if (const Response* r = p.current()) (void)r->status;
      (void)p.current_body().size();
      drain(p, o.responses);
    }
    if (finish) p.finish();
    drain(p, o.responses);
    o.error = p.error();
  } else {
    RequestParser p;
    for (const std::string_view piece : pieces) {
      p.feed(piece);
      (void)p.in_message();
      drain(p, o.requests);
    }
    if (finish) p.finish();
    drain(p, o.requests);
    o.error = p.error();
  }
  return o;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 3) return 0;
  const bool response = (data[0] & 1U) != 0;
  const bool finish = (data[0] & 2U) != 0;
  const unsigned expected = (data[0] >> 2U) & 7U;
  const std::uint8_t head_mask = data[1];
  const std::size_t k = std::min<std::size_t>(data[2] % 64U, size - 3);
  const std::span<const std::uint8_t> sizes(data + 3, k);
  const std::string_view stream(reinterpret_cast<const char*>(data + 3 + k), size - 3 - k);

  const Outcome pieces = run(wiresim::fuzz::split_pieces(stream, sizes), response, finish, expected, head_mask);
  const Outcome whole = run({stream}, response, finish, expected, head_mask);
  if (!(pieces == whole)) __builtin_trap();  // the split changed what was parsed
  return 0;
}
