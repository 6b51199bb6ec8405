// The shared test helpers of tests/support (process.hpp, temp_dir.hpp).

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "process.hpp"
#include "temp_dir.hpp"

using wiresim::test::program_available;
using wiresim::test::run_process;
using wiresim::test::shell_quote;
using wiresim::test::Stderr;
using wiresim::test::TempDir;

TEST_CASE("shell quoting passes arguments through unchanged", "[support][process]") {
  CHECK(shell_quote("a b") == "'a b'");
  CHECK(shell_quote("it's") == "'it'\\''s'");
  CHECK(shell_quote("") == "''");
  const auto r = run_process({"printf", "%s|", "a b", "it's", "$HOME", "\"q\"", "*", ""});
  CHECK(r.exit_status == 0);
  CHECK(r.output == "a b|it's|$HOME|\"q\"|*||");
}

TEST_CASE("run_process reports exit status and routes stderr", "[support][process]") {
  CHECK(run_process({"sh", "-c", "exit 3"}).exit_status == 3);
  CHECK(run_process({"sh", "-c", "echo out; echo err >&2"}, Stderr::kDiscard).output == "out\n");
  CHECK(run_process({"sh", "-c", "echo out; echo err >&2"}, Stderr::kMerge).output == "out\nerr\n");
  CHECK(run_process({"sh", "-c", "kill -9 $$"}).exit_status == -1);
  CHECK(program_available("sh"));
  CHECK_FALSE(program_available("wiresim-no-such-program"));
}

TEST_CASE("temporary directories are private and removed with their contents", "[support][tempdir]") {
  std::filesystem::path kept;
  {
    const TempDir a("wiresim-support");
    const TempDir b("wiresim-support");
    CHECK(a.path() != b.path());
    CHECK(std::filesystem::is_directory(a.path()));
    CHECK(a.path().filename().string().rfind("wiresim-support-", 0) == 0);
    std::filesystem::create_directory(a.path() / "sub");
    std::ofstream(a.file("sub/x.txt")) << "x";
    CHECK(std::filesystem::exists(a.file("sub/x.txt")));
    kept = a.path();
  }
  CHECK_FALSE(std::filesystem::exists(kept));
}
