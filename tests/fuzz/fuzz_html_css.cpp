/// Fuzzes the preload scanners (HtmlScanner, CssScanner) and URL resolution.
/// The document is fed in pieces whose split points the input chooses, and
/// the scanners' promise is checked: the same subresources, in the same
/// order, as when it comes in one piece. Every URL found must be normal:
/// its own text parses back to the same URL.
///
/// Input layout:
///   byte 0       bit 0: a stylesheet (else HTML)
///   byte 1       k, the number of split sizes (mod 64)
///   k bytes      piece sizes (size byte n = n + 1 bytes, used cyclically)
///   first line   the document's URL (if it does not parse: http://10.0.0.2:24/dir/page.html)
///   the rest     the document

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "fuzz_support.hpp"
#include "wiresim/http/css_scanner.hpp"
#include "wiresim/http/html_scanner.hpp"
#include "wiresim/http/url.hpp"

namespace {

using namespace wiresim::http;

template <class Scanner>
std::vector<Subresource> scan(Scanner scanner, const std::vector<std::string_view>& pieces) {
  std::vector<Subresource> found;
  for (const std::string_view piece : pieces) {
    for (Subresource& s : scanner.feed(piece)) found.push_back(std::move(s));
  }
  for (Subresource& s : scanner.finish()) found.push_back(std::move(s));
  return found;
}

void check_normal(const Url& url) {
  const std::optional<Url> again = Url::parse(url.to_string());
  if (!again || !(*again == url)) __builtin_trap();  // a resolved URL that is not in normal form
  (void)url.target();
  (void)url.host_is_ipv4();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const bool css = (data[0] & 1U) != 0;
  const std::size_t k = std::min<std::size_t>(data[1] % 64U, size - 2);
  const std::span<const std::uint8_t> sizes(data + 2, k);
  std::string_view rest(reinterpret_cast<const char*>(data + 2 + k), size - 2 - k);
  const std::size_t eol = rest.find('\n');
  const std::string_view url_line = rest.substr(0, eol);
  rest = eol == std::string_view::npos ? std::string_view{} : rest.substr(eol + 1);

  const std::optional<Url> given = Url::parse(url_line);
  if (given) check_normal(*given);
  const Url base = given.value_or(*Url::parse("http://10.0.0.2:24/dir/page.html"));

  const auto pieces = wiresim::fuzz::split_pieces(rest, sizes);
  const std::vector<Subresource> found = css ? scan(CssScanner(base), pieces) : scan(HtmlScanner(base), pieces);
  const std::vector<Subresource> whole = css ? scan(CssScanner(base), {rest}) : scan(HtmlScanner(base), {rest});
  if (found != whole) __builtin_trap();  // the split changed what was found
  for (const Subresource& s : found) {
    check_normal(s.url);
    if (base.resolve(s.reference) && css) (void)base.resolve(s.reference)->to_string();
  }
  return 0;
}
