// OutputDir: the output folder appears whole on commit, or not at all.

#include <fstream>
#include <set>
#include <sstream>
#include <stdexcept>

#include <catch2/catch.hpp>
#include <unistd.h>

#include "test_paths.hpp"
#include "wiresim/scenario/output_dir.hpp"

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

}  // namespace

TEST_CASE("a run writes into a hidden sibling, and commit moves it into place", "[scenario][output_dir]") {
  const test::TempDir tmp("commit");
  const fs::path final_path = tmp.path() / "runs" / "lab";
  OutputDir out(final_path);
  CHECK(out.final_path() == final_path);
  CHECK(out.path() == tmp.path() / "runs" / temp_name("lab"));
  CHECK(fs::is_directory(out.path()));
  CHECK(fs::is_empty(out.path()));
  CHECK_FALSE(fs::exists(final_path));
  write(out.path() / "summary.json", "{}");
  out.commit();
  CHECK(out.committed());
  CHECK(read(final_path / "summary.json") == "{}");
  CHECK(names(tmp.path() / "runs") == std::set<std::string>{"lab"});
}

TEST_CASE("commit replaces the previous output as a whole", "[scenario][output_dir]") {
  const test::TempDir tmp("replace");
  const fs::path final_path = tmp.path() / "lab";
  fs::create_directories(final_path / "old-subfolder");
  write(final_path / "old.txt", "old");
  {
    OutputDir out(final_path);
    write(out.path() / "new.txt", "new");
    CHECK(read(final_path / "old.txt") == "old");  // untouched until commit
    out.commit();
  }
  CHECK(names(final_path) == std::set<std::string>{"new.txt"});
  CHECK(read(final_path / "new.txt") == "new");
  CHECK(names(tmp.path()) == std::set<std::string>{"lab"});
}

TEST_CASE("a failed run leaves the previous output intact and no temporary folder", "[scenario][output_dir]") {
  const test::TempDir tmp("fail");
  const fs::path final_path = tmp.path() / "lab";
  fs::create_directories(final_path);
  write(final_path / "old.txt", "old");
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
  CHECK(names(final_path) == std::set<std::string>{"old.txt"});
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

TEST_CASE("temporary folders of ended processes are removed", "[scenario][output_dir]") {
  const test::TempDir tmp("stale");
  // No process has this id: Linux pids stay below 2^22.
  fs::create_directories(tmp.path() / ".lab.tmp-99999999" / "x");
  fs::create_directories(tmp.path() / ".lab.tmp-1");  // init is alive: left alone
  fs::create_directories(tmp.path() / ".other.tmp-99999999");
  OutputDir out(tmp.path() / "lab");
  out.commit();
  CHECK(names(tmp.path()) == std::set<std::string>{".lab.tmp-1", ".other.tmp-99999999", "lab"});
}

TEST_CASE("output paths are normalised and checked", "[scenario][output_dir]") {
  const test::TempDir tmp("paths");
  {
    OutputDir out(tmp.path() / "lab" / "");
    CHECK(out.final_path() == tmp.path() / "lab");
  }
  write(tmp.path() / "file", "x");
  CHECK_THROWS_AS(OutputDir(tmp.path() / "file"), std::invalid_argument);
  CHECK_THROWS_AS(OutputDir(fs::path("..")), std::invalid_argument);
  CHECK_THROWS_AS(OutputDir(fs::path(".")), std::invalid_argument);
  CHECK_THROWS_AS(OutputDir(fs::path("/")), std::invalid_argument);
}
