#include "wiresim/http/server_reply.hpp"

#include "wiresim/http/conditional.hpp"
#include "wiresim/http/writer.hpp"

namespace wiresim::http {
namespace {

/// Server and Date: on every response (RFC 9110 §6.6.1, §10.2.4).
void add_common_fields(Headers& h, const HttpServerConfig& config, std::string_view date) {
  if (!config.server_name.empty()) h.add("Server", config.server_name);
  h.add("Date", std::string(date));
}

Headers common_fields(const HttpServerConfig& config, std::string_view date) {
  Headers h;
  add_common_fields(h, config, date);
  return h;
}

/// Last-Modified, ETag, then Server and Date: the validators of a file (RFC 9110 §8.8).
Headers file_fields(const SiteFile& file, const HttpServerConfig& config, std::string_view date) {
  Headers h;
  h.add("Last-Modified", file.last_modified_text);
  h.add("ETag", file.etag);
  add_common_fields(h, config, date);
  return h;
}

/// RFC 9112 §9.3: does the connection persist after answering `request`?
bool keeps_alive(const HttpServerConfig& config, const Request& request) {
  return config.keep_alive_timeout > Duration::zero() && !wants_close(request);
}

/// The Connection field that tells the client what happens next (RFC 9112 §9.6, §C.2.2).
void add_connection_field(ServerReply& reply, const Request& request) {
  if (reply.close) {
    reply.response.headers.add("Connection", "close");
  } else if (request.version == Version::kHttp10) {
    reply.response.headers.add("Connection", "keep-alive");
  }
}

Response file_response(const SiteFile& file, const Request& request, const HttpServerConfig& config,
                       std::string_view date) {
  if (is_not_modified(request.headers, file.etag, file.last_modified)) {
    return make_not_modified(file_fields(file, config, date));
  }
  return make_response(200, file.content_type, file.body, file_fields(file, config, date));
}

int lookup_error_status(LookupStatus status) {
  switch (status) {
    case LookupStatus::kBadTarget: return 400;
    case LookupStatus::kForbidden: return 403;
    case LookupStatus::kNotFound:
    case LookupStatus::kFound: break;
  }
  return 404;
}

Response method_response(const Site& site, const HttpServerConfig& config, const Request& request,
                         std::string_view date) {
  if (request.method != "GET" && request.method != "HEAD") {
    Headers extra{{"Allow", "GET, HEAD"}};
    add_common_fields(extra, config, date);
    return make_error_response(405, extra);
  }
  const SiteLookup found = site.lookup(request.target);
  if (found.status == LookupStatus::kFound) return file_response(*found.file, request, config, date);
  return make_error_response(lookup_error_status(found.status), common_fields(config, date));
}

}  // namespace

ServerReply reply_to(const Site& site, const HttpServerConfig& config, const Request& request, std::string_view date) {
  ServerReply reply;
  reply.response = method_response(site, config, request, date);
  reply.head_only = request.method == "HEAD";
  reply.close = !keeps_alive(config, request);
  add_connection_field(reply, request);
  return reply;
}

ServerReply reply_to_error(const HttpServerConfig& config, ParseError error, std::string_view date) {
  Headers extra = common_fields(config, date);
  extra.add("Connection", "close");
  ServerReply reply;
  reply.response = make_error_response(response_status(error), extra);
  reply.close = true;
  return reply;
}

}  // namespace wiresim::http
