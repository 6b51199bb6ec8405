#pragma once
/// Runs an external program and captures what it prints, for tests that
/// ask outside tools (tshark, ...) for their verdict. Header-only, POSIX
/// (popen through /bin/sh); every argument is quoted, so paths and filters
/// with spaces or quotes pass through unchanged.

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace wiresim::test {

/// `arg` as one /bin/sh word: wrapped in single quotes, each embedded single
/// quote written as '\''. Safe for any byte string without NUL.
inline std::string shell_quote(std::string_view arg) {
  std::string out = "'";
  for (const char c : arg) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  out += '\'';
  return out;
}

/// What to do with the program's standard error.
enum class Stderr {
  kInherit,  ///< shows up in the test log
  kDiscard,  ///< sent to /dev/null
  kMerge,    ///< captured in ProcessResult::output with stdout
};

struct ProcessResult {
  /// The program's exit code; -1 if it was killed by a signal or the shell
  /// could not be started. 127 usually means "command not found".
  int exit_status = -1;
  std::string output;  ///< standard output (plus stderr with Stderr::kMerge)
};

/// The shell command line that runs `argv` with every element quoted.
inline std::string command_line(const std::vector<std::string>& argv) {
  std::string cmd;
  for (const std::string& arg : argv) {
    if (!cmd.empty()) cmd += ' ';
    cmd += shell_quote(arg);
  }
  return cmd;
}

/// Runs argv[0] (looked up on PATH) with the arguments argv[1..], waits for
/// it, and returns its exit status and output. argv must not be empty.
inline ProcessResult run_process(const std::vector<std::string>& argv,
                                 Stderr stderr_mode = Stderr::kInherit) {
  // exec: the program replaces the shell, so its own status (or the signal
  // that killed it) is what pclose reports.
  std::string cmd = "exec " + command_line(argv);
  if (stderr_mode == Stderr::kDiscard) cmd += " 2>/dev/null";
  if (stderr_mode == Stderr::kMerge) cmd += " 2>&1";
  ProcessResult result;
  std::FILE* pipe = ::popen(cmd.c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> chunk{};
  for (;;) {
    const std::size_t n = std::fread(chunk.data(), 1, chunk.size(), pipe);
    result.output.append(chunk.data(), n);
    if (n < chunk.size()) break;
  }
  const int status = ::pclose(pipe);
  if (status != -1 && WIFEXITED(status)) result.exit_status = WEXITSTATUS(status);
  return result;
}

/// True if `program` names an executable on PATH.
inline bool program_available(std::string_view program) {
  return run_process({"sh", "-c", "command -v \"$1\"", "sh", std::string(program)}, Stderr::kDiscard)
             .exit_status == 0;
}

}  // namespace wiresim::test
