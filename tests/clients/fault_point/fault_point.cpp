// A fault point the kill -9 tests control, preloaded into the real server binary (LD_PRELOAD), so
// osslive itself carries no test-only code. It wraps rename(2) and copy_file_range(2), the calls
// the store commits through. OSSLIVE_FAULT_POINT names a file; while that file exists, it holds
// one rule:
//   rename <from-substring> <to-suffix>      a rename whose source path contains the first word
//                                            and whose target path ends with the second
//   copy_file_range <to-substring> <n>       the n-th copy (from 1) into a file whose path
//                                            contains the word
// The matching call does not happen: the thread writes what it stopped at to <file>.hit and
// blocks for good, so the test knows the server is inside that step when it kills it. With no
// file, every call goes straight through.
#include <dlfcn.h>
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

using RenameFn = int (*)(const char*, const char*);
using CopyFn = ssize_t (*)(int, loff_t*, int, loff_t*, size_t, unsigned);

std::atomic<int> copies_matched{0};

std::string read_rule(const char* file) {
  std::string rule;
  int fd = ::open(file, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return rule;
  char buffer[1024];
  ssize_t got = ::read(fd, buffer, sizeof buffer - 1);
  ::close(fd);
  if (got > 0) rule.assign(buffer, static_cast<std::size_t>(got));
  while (!rule.empty() && (rule.back() == '\n' || rule.back() == ' ')) rule.pop_back();
  return rule;
}

// The rule's words after its first: "rename a b" -> {"a", "b"}.
bool rule_words(const std::string& rule, const char* call, std::string& first, std::string& second) {
  std::string prefix = std::string(call) + " ";
  if (rule.compare(0, prefix.size(), prefix) != 0) return false;
  std::string rest = rule.substr(prefix.size());
  auto space = rest.find(' ');
  if (space == std::string::npos) return false;
  first = rest.substr(0, space);
  second = rest.substr(space + 1);
  return !first.empty() && !second.empty();
}

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() && text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

[[noreturn]] void stop_here(const char* file, const std::string& what) {
  std::string hit = std::string(file) + ".hit";
  std::string temp = hit + ".part";
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd >= 0) {
    std::string line = what + "\n";
    if (::write(fd, line.data(), line.size()) < 0) std::perror("fault_point: write");
    ::close(fd);
    auto real_rename = reinterpret_cast<RenameFn>(::dlsym(RTLD_NEXT, "rename"));
    real_rename(temp.c_str(), hit.c_str());  // whole, or not there yet
  }
  for (;;) ::pause();
}

std::string fd_path(int fd) {
  char link[64];
  std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  char target[4096];
  ssize_t n = ::readlink(link, target, sizeof target - 1);
  return n > 0 ? std::string(target, static_cast<std::size_t>(n)) : std::string();
}

}  // namespace

extern "C" int rename(const char* from, const char* to) {
  static auto real = reinterpret_cast<RenameFn>(::dlsym(RTLD_NEXT, "rename"));
  if (const char* file = std::getenv("OSSLIVE_FAULT_POINT")) {
    std::string source, target;
    if (rule_words(read_rule(file), "rename", source, target) && std::strstr(from, source.c_str()) != nullptr &&
        ends_with(to, target))
      stop_here(file, std::string("rename ") + from + " " + to);
  }
  return real(from, to);
}

extern "C" ssize_t copy_file_range(int in, loff_t* in_offset, int out, loff_t* out_offset, size_t length,
                                   unsigned flags) {
  static auto real = reinterpret_cast<CopyFn>(::dlsym(RTLD_NEXT, "copy_file_range"));
  if (const char* file = std::getenv("OSSLIVE_FAULT_POINT")) {
    std::string target, nth;
    if (rule_words(read_rule(file), "copy_file_range", target, nth)) {
      std::string path = fd_path(out);
      if (path.find(target) != std::string::npos && ++copies_matched == std::atoi(nth.c_str()))
        stop_here(file, "copy_file_range " + fd_path(in) + " " + path);
    }
  }
  return real(in, in_offset, out, out_offset, length, flags);
}
