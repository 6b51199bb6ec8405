#include "wiresim/http/writer.hpp"

#include <fmt/format.h>

namespace wiresim::http {
namespace {

/// Bytes append_fields() writes.
std::size_t fields_size(const Headers& headers) {
  std::size_t n = 2;
  for (const HeaderField& f : headers) n += f.name.size() + f.value.size() + 4;
  return n;
}

void append_fields(std::string& out, const Headers& headers) {
  for (const HeaderField& f : headers) {
    out += f.name;
    out += ": ";
    out += f.value;
    out += "\r\n";
  }
  out += "\r\n";
}

void append_headers(Headers& to, const Headers& from) {
  for (const HeaderField& f : from) to.add(f.name, f.value);
}

/// The request line and fields into `out`, sized once for them and
/// `extra` more bytes (the body).
void write_head(std::string& out, const Request& request, std::size_t extra) {
  const std::string_view version = to_string(request.version);
  out.reserve(request.method.size() + request.target.size() + version.size() + 4 + fields_size(request.headers) +
              extra);
  out += request.method;
  out += ' ';
  out += request.target;
  out += ' ';
  out += version;
  out += "\r\n";
  append_fields(out, request.headers);
}

/// The status line and fields into `out`, sized once for them and `extra`
/// more bytes. RFC 9112 §4: the SP before the reason is sent even when the
/// reason is empty; the status is three digits (others, which no server
/// here sends, as fmt's {:03d} writes them).
void write_head(std::string& out, const Response& response, std::size_t extra) {
  const std::string_view version = to_string(response.version);
  out.reserve(version.size() + 6 + response.reason.size() + fields_size(response.headers) + extra);
  out += version;
  if (response.status >= 100 && response.status <= 999) {
    const char digits[5] = {' ', static_cast<char>('0' + response.status / 100),
                            static_cast<char>('0' + response.status / 10 % 10),
                            static_cast<char>('0' + response.status % 10), ' '};
    out.append(digits, sizeof digits);
  } else {
    out += fmt::format(" {:03d} ", response.status);
  }
  out += response.reason;
  out += "\r\n";
  append_fields(out, response.headers);
}

}  // namespace

std::string serialize_head(const Request& request) {
  std::string out;
  write_head(out, request, 0);
  return out;
}

std::string serialize(const Request& request) {
  std::string out;
  write_head(out, request, request.body.size());
  out += request.body.view();
  return out;
}

std::string serialize_head(const Response& response) {
  std::string out;
  write_head(out, response, 0);
  return out;
}

std::string serialize(const Response& response) {
  std::string out;
  write_head(out, response, response.body.size());
  out += response.body.view();
  return out;
}

std::string_view reason_phrase(int status) {
  switch (status) {
    case 100: return "Continue";
    case 101: return "Switching Protocols";
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 206: return "Partial Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 411: return "Length Required";
    case 412: return "Precondition Failed";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 416: return "Range Not Satisfiable";
    case 417: return "Expectation Failed";
    case 426: return "Upgrade Required";
    case 431: return "Request Header Fields Too Large";  // RFC 6585 §5
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 505: return "HTTP Version Not Supported";
    default: return "";
  }
}

Request make_request(std::string method, const Url& url, const Headers& extra) {
  Request request;
  request.method = std::move(method);
  request.target = url.target();
  request.headers.add("Host", url.authority());
  append_headers(request.headers, extra);
  return request;
}

Response make_response(int status, std::string_view content_type, Body body, const Headers& extra) {
  Response response;
  response.status = status;
  response.reason = std::string(reason_phrase(status));
  response.headers.add("Content-Type", std::string(content_type));
  response.headers.add("Content-Length", std::to_string(body.size()));
  append_headers(response.headers, extra);
  response.body = std::move(body);
  return response;
}

Response make_error_response(int status, const Headers& extra) {
  const std::string title = fmt::format("{} {}", status, reason_phrase(status));
  std::string page = fmt::format("<html><head><title>{0}</title></head><body><h1>{0}</h1></body></html>\n", title);
  return make_response(status, "text/html; charset=utf-8", Body(std::move(page)), extra);
}

Response make_not_modified(const Headers& extra) {
  Response response;
  response.status = 304;
  response.reason = std::string(reason_phrase(304));
  response.headers = extra;
  return response;
}

}  // namespace wiresim::http
