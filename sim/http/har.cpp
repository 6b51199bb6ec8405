#include "wiresim/http/har.hpp"

#include "wiresim/http/date.hpp"
#include "wiresim/http/uri_reference.hpp"

namespace wiresim::http {
namespace {

using Json = nlohmann::ordered_json;

/// Milliseconds with microsecond resolution: 12.345. Whole microseconds
/// divided by 1000 print exactly the same on every platform (shortest
/// round-trip formatting of the same IEEE double).
double ms(Duration d) { return static_cast<double>(d.us()) / 1000.0; }

Json ms_or_absent(const std::optional<Duration>& d) { return d ? Json(ms(*d)) : Json(-1); }

Json headers_json(const Headers& headers) {
  Json out = Json::array();
  for (const HeaderField& f : headers) out.push_back(Json{{"name", f.name}, {"value", f.value}});
  return out;
}

/// name=value pairs of the URL's query, split at "&" and the first "=", not decoded.
Json query_json(const std::string& url) {
  Json out = Json::array();
  const UriReference ref = UriReference::split(url);
  if (!ref.query) return out;
  std::string_view rest = *ref.query;
  while (!rest.empty()) {
    const std::size_t amp = std::min(rest.find('&'), rest.size());
    const std::string_view pair = rest.substr(0, amp);
    rest.remove_prefix(std::min(amp + 1, rest.size()));
    if (pair.empty()) continue;
    const std::size_t eq = pair.find('=');
    const std::string_view value = eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
    out.push_back(Json{{"name", pair.substr(0, eq)}, {"value", value}});
  }
  return out;
}

Json page_json(const HarPage& p) {
  return Json{{"startedDateTime", format_iso8601_ms(p.started_unix_ns)},
              {"id", p.id},
              {"title", p.title},
              {"pageTimings", {{"onContentLoad", ms_or_absent(p.on_content_load)}, {"onLoad", ms_or_absent(p.on_load)}}}};
}

Json request_json(const HarRequest& r) {
  return Json{{"method", r.method},           {"url", r.url},
              {"httpVersion", r.http_version}, {"cookies", Json::array()},
              {"headers", headers_json(r.headers)}, {"queryString", query_json(r.url)},
              {"headersSize", r.headers_size}, {"bodySize", r.body_size}};
}

Json response_json(const HarResponse& r) {
  return Json{{"status", r.status},
              {"statusText", r.status_text},
              {"httpVersion", r.http_version},
              {"cookies", Json::array()},
              {"headers", headers_json(r.headers)},
              {"content", {{"size", r.content_size}, {"mimeType", r.mime_type}}},
              {"redirectURL", r.redirect_url},
              {"headersSize", r.headers_size},
              {"bodySize", r.body_size}};
}

Json timings_json(const HarTimings& t) {
  return Json{{"blocked", ms_or_absent(t.blocked)}, {"dns", ms_or_absent(t.dns)},
              {"connect", ms_or_absent(t.connect)}, {"send", ms(t.send)},
              {"wait", ms(t.wait)},                 {"receive", ms(t.receive)},
              {"ssl", ms_or_absent(t.ssl)}};
}

Duration total_time(const HarTimings& t) {
  Duration total = t.send + t.wait + t.receive;
  for (const std::optional<Duration>& d : {t.blocked, t.dns, t.connect}) {
    if (d) total += *d;
  }
  return total;
}

Json entry_json(const HarEntry& e) {
  Json out{{"pageref", e.pageref},
           {"startedDateTime", format_iso8601_ms(e.started_unix_ns)},
           {"time", ms(total_time(e.timings))},
           {"request", request_json(e.request)},
           {"response", response_json(e.response)},
           {"cache", Json::object()},
           {"timings", timings_json(e.timings)},
           {"serverIPAddress", e.server_ip},
           {"connection", e.connection}};
  if (!e.error.empty()) out["_error"] = e.error;
  return out;
}

}  // namespace

nlohmann::ordered_json to_json(const HarLog& log) {
  Json inner{{"version", "1.2"}, {"creator", {{"name", log.creator_name}, {"version", log.creator_version}}}};
  if (!log.browser_name.empty()) inner["browser"] = {{"name", log.browser_name}, {"version", log.browser_version}};
  inner["pages"] = Json::array();
  for (const HarPage& p : log.pages) inner["pages"].push_back(page_json(p));
  inner["entries"] = Json::array();
  for (const HarEntry& e : log.entries) inner["entries"].push_back(entry_json(e));
  return Json{{"log", std::move(inner)}};
}

std::string to_har_text(const HarLog& log) {
  // Invalid UTF-8 (obs-text in a header) becomes U+FFFD instead of throwing.
  return to_json(log).dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace wiresim::http
