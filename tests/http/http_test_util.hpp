#pragma once
// Helpers for the http tests: where the source tree is, and Catch2 printers
// so that a failed comparison shows the messages as they go on the wire.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

#include "wiresim/http/message.hpp"
#include "wiresim/http/parse_error.hpp"
#include "wiresim/http/subresource.hpp"
#include "wiresim/http/url.hpp"
#include "wiresim/http/writer.hpp"

namespace wiresim::http::test {

/// $WIRESIM_SOURCE_DIR (set by CTest), else the tree the test was built from.
inline std::filesystem::path source_dir() {
  if (const char* env = std::getenv("WIRESIM_SOURCE_DIR"); env != nullptr && *env != '\0') return env;
  return WIRESIM_SOURCE_DIR_DEFAULT;
}

inline std::filesystem::path lab_site_dir() { return source_dir() / "scenarios" / "sites" / "lab"; }

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace wiresim::http::test

namespace Catch {

template <>
struct StringMaker<wiresim::http::Request> {
  static std::string convert(const wiresim::http::Request& r) { return "\n" + wiresim::http::serialize(r); }
};
template <>
struct StringMaker<wiresim::http::Response> {
  static std::string convert(const wiresim::http::Response& r) { return "\n" + wiresim::http::serialize(r); }
};
template <>
struct StringMaker<wiresim::http::ParseError> {
  static std::string convert(wiresim::http::ParseError e) { return wiresim::http::to_string(e); }
};
template <>
struct StringMaker<wiresim::http::Url> {
  static std::string convert(const wiresim::http::Url& u) { return u.to_string(); }
};
template <>
struct StringMaker<wiresim::http::Subresource> {
  static std::string convert(const wiresim::http::Subresource& s) {
    return std::string(to_string(s.kind)) + " " + s.url.to_string() + " (" + s.reference + ")";
  }
};

}  // namespace Catch
