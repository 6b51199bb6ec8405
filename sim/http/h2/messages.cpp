#include "wiresim/http/h2/messages.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace wiresim::http::h2 {
namespace {

std::string lowercase(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
  return out;
}

/// RFC 9113 §8.2.2: fields an HTTP/2 message must not carry (Host becomes :authority).
bool left_out(std::string_view lower_name) {
  constexpr std::array<std::string_view, 6> kNames{"host",    "connection",        "keep-alive",
                                                   "proxy-connection", "transfer-encoding", "upgrade"};
  return std::find(kNames.begin(), kNames.end(), lower_name) != kNames.end();
}

void append_fields(const Headers& fields, HeaderList& out) {
  for (const HeaderField& f : fields) {
    std::string name = lowercase(f.name);
    if (!left_out(name)) out.emplace_back(std::move(name), f.value);
  }
}

}  // namespace

HeaderList request_header_list(const Request& request) {
  HeaderList out;
  out.emplace_back(":method", request.method);
  out.emplace_back(":authority", std::string(request.headers.get("Host").value_or("")));
  out.emplace_back(":scheme", "http");
  out.emplace_back(":path", request.target);
  append_fields(request.headers, out);
  return out;
}

HeaderList response_header_list(const Response& response) {
  HeaderList out;
  out.emplace_back(":status", std::to_string(response.status));
  append_fields(response.headers, out);
  return out;
}

std::optional<Request> request_from(const HeaderList& headers, std::string& error) {
  Request r;
  r.version = Version::kHttp2;
  bool method = false;
  bool path = false;
  for (const auto& [name, value] : headers) {
    if (name == ":method") {
      r.method = value;
      method = true;
    } else if (name == ":path") {
      r.target = value;
      path = true;
    } else if (name == ":authority") {
      r.headers.add("Host", value);
    } else if (!name.starts_with(':')) {
      r.headers.add(name, value);
    }
  }
  if (!method || !path) {
    error = "request without :method or :path (RFC 9113 section 8.3.1)";
    return std::nullopt;
  }
  return r;
}

std::optional<Response> response_from(const HeaderList& headers, std::string& error) {
  Response r;
  r.version = Version::kHttp2;
  r.reason.clear();
  std::optional<int> status;
  for (const auto& [name, value] : headers) {
    if (name == ":status") {
      if (value.size() == 3 && std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        status = std::stoi(value);
      }
    } else if (!name.starts_with(':')) {
      r.headers.add(name, value);
    }
  }
  if (!status) {
    error = "response without a valid :status (RFC 9113 section 8.3.2)";
    return std::nullopt;
  }
  r.status = *status;
  return r;
}

}  // namespace wiresim::http::h2
