#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "http_test_util.hpp"
#include "temp_dir.hpp"
#include "wiresim/http/site.hpp"
#include "wiresim/http/writer.hpp"

using namespace wiresim::http;
namespace fs = std::filesystem;

namespace {

constexpr std::int64_t kModified = 1'698'244'200;  // 2023-10-25T14:30:00Z

void write(const fs::path& path, const std::string& bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
}

std::vector<std::string> paths(const Site& site) {
  std::vector<std::string> out;
  for (const auto& [path, file] : site.files()) out.push_back(path);
  return out;
}

Site sample_site(const wiresim::test::TempDir& dir) {
  write(dir.path() / "index.html", "<html>home</html>");
  write(dir.path() / "b.txt", "hello");
  write(dir.path() / "a" / "logo.png", std::string("\x89PNG\r\n\x1a\n", 8));
  write(dir.path() / "sub" / "index.html", "<p>sub</p>");
  write(dir.path() / "my file.css", "body{}");
  write(dir.path() / ".hidden", "secret");
  write(dir.path() / ".git" / "config", "secret");
  return Site::load(dir.path(), kModified);
}

}  // namespace

TEST_CASE("a site directory loads recursively in path order, hidden names skipped", "[http][site]") {
  const wiresim::test::TempDir dir("wiresim-http-site");
  const Site site = sample_site(dir);
  CHECK(paths(site) == std::vector<std::string>{"/a/logo.png", "/b.txt", "/index.html", "/my file.css", "/sub/index.html"});
  const SiteFile* b = site.find("/b.txt");
  REQUIRE(b != nullptr);
  CHECK(b->path == "/b.txt");
  CHECK(b->body.view() == "hello");
  CHECK(b->content_type == "text/plain; charset=utf-8");
  CHECK(b->etag == "\"a430d84680aabd0b\"");  // FNV-1a 64 of "hello"
  CHECK(b->last_modified == kModified);
  CHECK(b->last_modified_text == "Wed, 25 Oct 2023 14:30:00 GMT");
  CHECK(site.find("/a/logo.png")->content_type == "image/png");
  CHECK(site.find("/a/logo.png")->body.size() == 8);
  CHECK(site.find("b.txt") == nullptr);
}

TEST_CASE("request targets map to files", "[http][site]") {
  const wiresim::test::TempDir dir("wiresim-http-site");
  const Site site = sample_site(dir);
  const auto found = [&site](std::string_view target) {
    const SiteLookup r = site.lookup(target);
    return r.status == LookupStatus::kFound ? r.file->path : "status " + std::to_string(static_cast<int>(r.status));
  };
  CHECK(found("/") == "/index.html");
  CHECK(found("/index.html") == "/index.html");
  CHECK(found("/?q=1") == "/index.html");
  CHECK(found("/b.txt?x") == "/b.txt");
  CHECK(found("/a/logo.png") == "/a/logo.png");
  CHECK(found("/a%2Flogo.png") == "/a/logo.png");
  CHECK(found("/%61/logo%2epng") == "/a/logo.png");
  CHECK(found("/a/./logo.png") == "/a/logo.png");
  CHECK(found("//a//logo.png") == "/a/logo.png");
  CHECK(found("/my%20file.css") == "/my file.css");
  CHECK(found("/sub/") == "/sub/index.html");
  CHECK(found("/sub/.") == "/sub/index.html");
  CHECK(found("http://10.0.0.2:24/b.txt") == "/b.txt");
}

TEST_CASE("missing files, bad targets and escapes", "[http][site]") {
  const wiresim::test::TempDir dir("wiresim-http-site");
  const Site site = sample_site(dir);
  const auto status = [&site](std::string_view target) { return site.lookup(target).status; };
  CHECK(status("/missing.png") == LookupStatus::kNotFound);
  CHECK(status("/sub") == LookupStatus::kNotFound);  // a directory without its slash
  CHECK(status("/a/") == LookupStatus::kNotFound);   // no index.html there
  CHECK(status("/B.TXT") == LookupStatus::kNotFound);
  CHECK(status("/.hidden") == LookupStatus::kNotFound);
  CHECK(status("/../etc/passwd") == LookupStatus::kForbidden);
  CHECK(status("/a/../b.txt") == LookupStatus::kForbidden);
  CHECK(status("/a/%2e%2e/b.txt") == LookupStatus::kForbidden);
  CHECK(status("/..%2Fb.txt") == LookupStatus::kForbidden);
  CHECK(status("/%zz") == LookupStatus::kBadTarget);
  CHECK(status("/%4") == LookupStatus::kBadTarget);
  CHECK(status("/a%00.txt") == LookupStatus::kBadTarget);
  CHECK(status("*") == LookupStatus::kBadTarget);
  CHECK(status("") == LookupStatus::kBadTarget);
  CHECK(status("b.txt") == LookupStatus::kBadTarget);
  CHECK(status("/b.txt#frag") == LookupStatus::kBadTarget);
  CHECK(site.lookup("/missing.png").path == "/missing.png");
  CHECK(site.lookup("/missing.png").file == nullptr);
}

TEST_CASE("a site that is not a directory is an error", "[http][site]") {
  CHECK_THROWS_AS(Site::load("/nonexistent/wiresim/site", kModified), std::runtime_error);
}

TEST_CASE("the lab site", "[http][site]") {
  const Site site = Site::load(wiresim::http::test::lab_site_dir(), kModified);
  CHECK(paths(site) == std::vector<std::string>{"/Myhead.jpg", "/background.png", "/index.html"});
  const SiteFile* jpg = site.lookup("/Myhead.jpg").file;
  REQUIRE(jpg != nullptr);
  CHECK(jpg->content_type == "image/jpeg");
  CHECK(jpg->body.size() > 10'000);
  CHECK(jpg->body.view().substr(0, 4) == "\xff\xd8\xff\xe0");           // SOI, APP0
  CHECK(jpg->body.view().substr(6, 5) == std::string_view("JFIF\0", 5));  // JFIF marker
  const SiteFile* png = site.lookup("/background.png").file;
  REQUIRE(png != nullptr);
  CHECK(png->content_type == "image/png");
  CHECK(png->body.size() > 10'000);
  CHECK(png->body.view().substr(0, 8) == "\x89PNG\r\n\x1a\n");
  CHECK(site.lookup("/").file->content_type == "text/html; charset=utf-8");
  // Responses share the site's buffer instead of copying it.
  const Response r = make_response(200, png->content_type, png->body, {{"ETag", png->etag}});
  CHECK(r.body.shared() == png->body.shared());
}
