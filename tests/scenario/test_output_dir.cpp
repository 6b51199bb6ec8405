// OutputDir: the output folder appears whole on commit, or not at all.

#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <stdexcept>

#include <catch2/catch.hpp>
#include <unistd.h>

#include "test_paths.hpp"
#include "wiresim/scenario/output_dir.hpp"
#include "wiresim/scenario/scenario.hpp"

using namespace wiresim::scenario;
namespace fs = std::filesystem;

namespace {

void write(const fs::path& file, const std::string& text) {
  std::ofstream out(file);
  out << text;
}

std::string read(const fs::path& file) {
  std::ifstream in(file);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Names in `folder`, sorted.
std::set<std::string> names(const fs::path& folder) {
  std::set<std::string> out;
  for (const auto& e : fs::directory_iterator(folder)) out.insert(e.path().filename().string());
  return out;
}

std::string temp_name(const std::string& leaf) { return "." + leaf + ".tmp-" + std::to_string(::getpid()); }

constexpr const char* kManifest = OutputDir::kManifestName;

/// A committed wiresim output at `folder` holding `file` with `text`.
void make_output(const fs::path& folder, const std::string& file, const std::string& text) {
  OutputDir out(folder);
  write(out.path() / file, text);
  out.commit();
}

/// Every file below `folder` with its bytes, by relative path.
std::map<std::string, std::string> tree(const fs::path& folder) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(folder)) {
    const std::string rel = e.path().lexically_relative(folder).generic_string();
    out[rel] = e.is_directory() ? std::string("<dir>") : read(e.path());
  }
  return out;
}

/// Runs `body` in `dir` as the current folder, then returns to where it was.
template <class F>
void in_folder(const fs::path& dir, F body) {
  const fs::path before = fs::current_path();
  fs::current_path(dir);
  try {
    body();
  } catch (...) {
    fs::current_path(before);
    throw;
  }
  fs::current_path(before);
}

/// The message of the OutputRefused that `make` throws ("" if none).
template <class F>
std::string refusal(F make) {
  try {
    make();
  } catch (const OutputRefused& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("a run writes into a hidden sibling, and commit moves it into place", "[scenario][output_dir]") {
  const test::TempDir tmp("commit");
  const fs::path final_path = tmp.path() / "runs" / "lab";
  OutputDir out(final_path);
  CHECK(out.final_path() == final_path);
  CHECK(out.path() == tmp.path() / "runs" / temp_name("lab"));
  CHECK(fs::is_directory(out.path()));
  CHECK(names(out.path()) == std::set<std::string>{kManifest});  // marked as ours from the start
  CHECK(read(out.path() / kManifest).rfind(std::string(OutputDir::kManifestHeader) + "\n", 0) == 0);
  CHECK_FALSE(fs::exists(final_path));
  write(out.path() / "summary.json", "{}");
  out.commit();
  CHECK(out.committed());
  CHECK(read(final_path / "summary.json") == "{}");
  CHECK(names(tmp.path() / "runs") == std::set<std::string>{"lab"});
  CHECK(names(final_path) == std::set<std::string>{kManifest, "summary.json"});
}

TEST_CASE("commit replaces the previous output as a whole", "[scenario][output_dir]") {
  const test::TempDir tmp("replace");
  const fs::path final_path = tmp.path() / "lab";
  {
    OutputDir first(final_path);
    fs::create_directories(first.path() / "old-subfolder");
    write(first.path() / "old.txt", "old");
    first.commit();
  }
  {
    OutputDir out(final_path);
    write(out.path() / "new.txt", "new");
    CHECK(read(final_path / "old.txt") == "old");  // untouched until commit
    out.commit();
  }
  CHECK(names(final_path) == std::set<std::string>{kManifest, "new.txt"});
  CHECK(read(final_path / "new.txt") == "new");
  CHECK(names(tmp.path()) == std::set<std::string>{"lab"});
}

TEST_CASE("a failed run leaves the previous output intact and no temporary folder", "[scenario][output_dir]") {
  const test::TempDir tmp("fail");
  const fs::path final_path = tmp.path() / "lab";
  make_output(final_path, "old.txt", "old");
  SECTION("destroyed without commit") {
    OutputDir out(final_path);
    write(out.path() / "partial.txt", "partial");
  }
  SECTION("an exception unwinds through it") {
    CHECK_THROWS_AS(
        [&] {
          OutputDir out(final_path);
          fs::create_directories(out.path() / "deep" / "er");
          write(out.path() / "deep" / "er" / "partial.txt", "partial");
          throw std::runtime_error("the run failed");
        }(),
        std::runtime_error);
  }
  SECTION("discarded explicitly") {
    OutputDir out(final_path);
    write(out.path() / "partial.txt", "partial");
    out.discard();
    CHECK_FALSE(fs::exists(out.path()));
    CHECK_THROWS_AS(out.commit(), std::logic_error);
  }
  CHECK(names(final_path) == std::set<std::string>{kManifest, "old.txt"});
  CHECK(read(final_path / "old.txt") == "old");
  CHECK(names(tmp.path()) == std::set<std::string>{"lab"});
}

TEST_CASE("a failed first run leaves nothing at all", "[scenario][output_dir]") {
  const test::TempDir tmp("fail-first");
  { OutputDir out(tmp.path() / "lab"); }
  CHECK(fs::is_empty(tmp.path()));
}

TEST_CASE("commit is once only", "[scenario][output_dir]") {
  const test::TempDir tmp("twice");
  OutputDir out(tmp.path() / "lab");
  out.commit();
  CHECK_THROWS_AS(out.commit(), std::logic_error);
  CHECK(fs::is_directory(tmp.path() / "lab"));
}

TEST_CASE("our temporary folders of ended processes are removed, nobody else's", "[scenario][output_dir]") {
  const test::TempDir tmp("stale");
  // No process has this id: Linux pids stay below 2^22.
  fs::create_directories(tmp.path() / ".lab.tmp-99999999" / "x");
  write(tmp.path() / ".lab.tmp-99999999" / kManifest, std::string(OutputDir::kManifestHeader) + "\n");
  fs::create_directories(tmp.path() / ".lab.tmp-99999998");  // same shape, not ours: a user's folder
  write(tmp.path() / ".lab.tmp-99999998" / "notes.txt", "mine");
  fs::create_directories(tmp.path() / ".lab.tmp-1");  // init is alive: left alone
  write(tmp.path() / ".lab.tmp-1" / kManifest, std::string(OutputDir::kManifestHeader) + "\n");
  fs::create_directories(tmp.path() / ".other.tmp-99999999");
  OutputDir out(tmp.path() / "lab");
  out.commit();
  CHECK(names(tmp.path()) ==
        std::set<std::string>{".lab.tmp-1", ".lab.tmp-99999998", ".other.tmp-99999999", "lab"});
  CHECK(read(tmp.path() / ".lab.tmp-99999998" / "notes.txt") == "mine");
}

TEST_CASE("output paths are normalised and checked", "[scenario][output_dir]") {
  const test::TempDir tmp("paths");
  {
    OutputDir out(tmp.path() / "lab" / "");
    CHECK(out.final_path() == tmp.path() / "lab");
  }
  write(tmp.path() / "file", "x");
  CHECK_THROWS_AS(OutputDir(tmp.path() / "file"), OutputRefused);
  CHECK_THROWS_AS(OutputDir(fs::path("..")), OutputRefused);
  CHECK_THROWS_AS(OutputDir(fs::path(".")), OutputRefused);
  CHECK_THROWS_AS(OutputDir(fs::path("/")), OutputRefused);
  CHECK(read(tmp.path() / "file") == "x");
}

// Issue: `--out docs` deleted docs/thesis.txt. A folder wiresim did not write
// is never replaced; the user's bytes survive every refusal, byte for byte.

TEST_CASE("a user's folder is refused and survives byte for byte", "[scenario][output_dir][safety]") {
  const test::TempDir tmp("user-folder");
  const fs::path docs = tmp.path() / "docs";
  fs::create_directories(docs / "chapters");
  write(docs / "thesis.txt", "precious\n");
  write(docs / "chapters" / "one.tex", "\\section{One}\n");
  const auto before = tree(docs);
  CHECK(refusal([&] { OutputDir out(docs, {}, "--out"); }) ==
        "--out '" + docs.string() +
            "' exists and is not a wiresim output folder (it holds 2 entries); choose a new or empty folder");
  CHECK(tree(docs) == before);
  CHECK(names(tmp.path()) == std::set<std::string>{"docs"});  // no temporary folder either
}

TEST_CASE("a folder whose manifest is not ours is refused, even with ours in a subfolder", "[scenario][output_dir][safety]") {
  const test::TempDir tmp("foreign-manifest");
  const fs::path docs = tmp.path() / "docs";
  fs::create_directories(docs / "sub");
  write(docs / kManifest, "something else\n");
  write(docs / "sub" / kManifest, std::string(OutputDir::kManifestHeader) + "\n");
  write(docs / "thesis.txt", "precious\n");
  const auto before = tree(docs);
  CHECK_THROWS_AS(OutputDir(docs), OutputRefused);
  CHECK(tree(docs) == before);
}

TEST_CASE("an empty folder may be used", "[scenario][output_dir][safety]") {
  const test::TempDir tmp("empty-folder");
  fs::create_directories(tmp.path() / "empty");
  make_output(tmp.path() / "empty", "summary.json", "{}");
  CHECK(read(tmp.path() / "empty" / "summary.json") == "{}");
}

TEST_CASE("the manifest names everything wiresim wrote, sorted, folders with a slash", "[scenario][output_dir]") {
  const test::TempDir tmp("manifest");
  const fs::path final_path = tmp.path() / "cmp";
  OutputDir out(final_path);
  fs::create_directories(out.path() / "examples" / "a");
  write(out.path() / "examples" / "a" / "summary.json", "{}");
  write(out.path() / "compare.csv", "x");
  out.commit();
  CHECK(read(final_path / kManifest) ==
        std::string(OutputDir::kManifestHeader) +
            "\n# Written by wiresim, which replaces this folder on the next run into it only while\n"
            "# it holds nothing but what is listed here. Everything it wrote:\n"
            "compare.csv\nexamples/\nexamples/a/\nexamples/a/summary.json\n");
}

TEST_CASE("a previous output that a user added to is not replaced", "[scenario][output_dir][safety]") {
  const test::TempDir tmp("added");
  const fs::path lab = tmp.path() / "lab";
  make_output(lab, "summary.json", "{}");
  SECTION("a file") {
    write(lab / "notes.txt", "my notes");
    const auto before = tree(lab);
    CHECK(refusal([&] { OutputDir out(lab); }) ==
          "output folder '" + lab.string() +
              "' is a wiresim output folder but holds 1 entry that wiresim did not write (notes.txt); move it away or "
              "choose another folder");
    CHECK(tree(lab) == before);
  }
  SECTION("a folder with files") {
    fs::create_directories(lab / "mine" / "deeper");
    write(lab / "mine" / "deeper" / "a.txt", "a");
    const auto before = tree(lab);
    CHECK_THROWS_AS(OutputDir(lab), OutputRefused);
    CHECK(tree(lab) == before);
  }
  SECTION("a symbolic link to a user's folder") {
    fs::create_directories(tmp.path() / "precious");
    write(tmp.path() / "precious" / "thesis.txt", "precious");
    fs::create_directory_symlink(tmp.path() / "precious", lab / "link");
    CHECK_THROWS_AS(OutputDir(lab), OutputRefused);
    CHECK(read(tmp.path() / "precious" / "thesis.txt") == "precious");
    CHECK(fs::is_symlink(lab / "link"));
  }
  SECTION("while the new output was being written") {
    OutputDir out(lab);
    write(out.path() / "summary.json", "{\"new\": true}");
    write(lab / "notes.txt", "my notes");  // added during the run
    CHECK_THROWS_AS(out.commit(), OutputRefused);
    out.discard();
    CHECK(read(lab / "notes.txt") == "my notes");
    CHECK(read(lab / "summary.json") == "{}");
    CHECK(names(tmp.path()) == std::set<std::string>{"lab"});
  }
}

TEST_CASE("an output path that is a symbolic link is refused", "[scenario][output_dir][safety]") {
  const test::TempDir tmp("symlink-out");
  fs::create_directories(tmp.path() / "docs");
  write(tmp.path() / "docs" / "thesis.txt", "precious");
  fs::create_directory_symlink(tmp.path() / "docs", tmp.path() / "out");
  CHECK_THROWS_AS(OutputDir(tmp.path() / "out"), OutputRefused);
  // A previous output reached through a link is refused too: the link would be replaced.
  make_output(tmp.path() / "real", "summary.json", "{}");
  fs::create_directory_symlink(tmp.path() / "real", tmp.path() / "out2");
  CHECK_THROWS_AS(OutputDir(tmp.path() / "out2"), OutputRefused);
  CHECK(read(tmp.path() / "docs" / "thesis.txt") == "precious");
  CHECK(fs::is_symlink(tmp.path() / "out2"));
}

TEST_CASE("an output that is or contains a protected input is refused", "[scenario][output_dir][safety]") {
  const test::TempDir tmp("protected");
  const fs::path project = tmp.path() / "project";
  fs::create_directories(project / "sites" / "lab");
  write(project / "lab.yaml", "name: lab\n");
  write(project / "sites" / "lab" / "index.html", "<p>hi</p>");
  const std::vector<ProtectedPath> keep{{project / "lab.yaml", "the scenario file"},
                                        {project / "sites" / "lab", "the site folder of app 'web'"}};
  const auto before = tree(project);
  CHECK(refusal([&] { OutputDir out(project, keep, "--out"); }) ==
        "--out '" + project.string() + "' is or contains the scenario file (" + (project / "lab.yaml").string() +
            "); choose another folder");
  CHECK(refusal([&] { OutputDir out(project / "sites", keep, "--out"); }) ==
        "--out '" + (project / "sites").string() + "' is or contains the site folder of app 'web' (" +
            (project / "sites" / "lab").string() + "); choose another folder");
  CHECK_THROWS_AS(OutputDir(project / "sites" / "lab", keep), OutputRefused);
  // The same folder spelled another way: through "..", and through a link to a parent.
  CHECK_THROWS_AS(OutputDir(project / "sites" / ".." / "sites", keep), OutputRefused);
  fs::create_directory_symlink(project, tmp.path() / "alias");
  CHECK_THROWS_AS(OutputDir(tmp.path() / "alias" / "sites", keep), OutputRefused);
  CHECK(tree(project) == before);
  // Beside the inputs is fine.
  make_output(project / "runs" / "lab", "summary.json", "{}");
}

TEST_CASE("the current and home folders and their parents are refused", "[scenario][output_dir][safety]") {
  const test::TempDir tmp("cwd-home");
  const fs::path here = tmp.path() / "work" / "here";
  fs::create_directories(here);
  write(here / "thesis.txt", "precious");
  in_folder(here, [&] {
    CHECK(refusal([&] { OutputDir out(fs::path("../here"), {}, "--out"); })
              .find("is or contains the current folder") != std::string::npos);
    CHECK_THROWS_AS(OutputDir(here), OutputRefused);
    CHECK_THROWS_AS(OutputDir(fs::path("..")), OutputRefused);
    CHECK_THROWS_AS(OutputDir(tmp.path() / "work"), OutputRefused);
  });
  const char* old_home = std::getenv("HOME");
  const std::string saved = old_home != nullptr ? old_home : "";
  ::setenv("HOME", (tmp.path() / "home").c_str(), 1);
  fs::create_directories(tmp.path() / "home");
  const std::string msg = refusal([&] { OutputDir out(tmp.path() / "home", {}, "--out"); });
  if (old_home != nullptr) {
    ::setenv("HOME", saved.c_str(), 1);
  } else {
    ::unsetenv("HOME");
  }
  CHECK(msg.find("is or contains the home folder") != std::string::npos);
  CHECK(read(here / "thesis.txt") == "precious");
}

TEST_CASE("scenario_inputs names the scenario file and every served site", "[scenario][output_dir]") {
  Scenario s;
  HttpServerApp web;
  web.site = "/srv/sites/lab";
  s.apps.push_back({"web", web});
  web.site = "/srv/sites/other";
  s.apps.push_back({"web2", web});
  const std::vector<ProtectedPath> inputs = scenario_inputs(s, "lab.yaml");
  REQUIRE(inputs.size() == 3);
  CHECK(inputs[0].path == "lab.yaml");
  CHECK(inputs[0].what == "the scenario file");
  CHECK(inputs[1].path == "/srv/sites/lab");
  CHECK(inputs[1].what == "the site folder of app 'web'");
  CHECK(inputs[2].path == "/srv/sites/other");
}
