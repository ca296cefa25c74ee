#pragma once
// What the threads of this process are doing, read from /proc/self/task (Linux). A scheduler test
// that must show a thread waits (a worker that did not take a job, a job held at its pause point)
// waits until the thread is seen asleep after the moment that matters, instead of sleeping for a
// while and hoping the thread would have moved by then.
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <string>
#include <thread>

namespace osslive::jobs::testing {

inline pid_t current_tid() { return static_cast<pid_t>(::syscall(SYS_gettid)); }

inline std::set<pid_t> process_threads() {
  std::set<pid_t> out;
  for (const auto& entry : std::filesystem::directory_iterator("/proc/self/task"))
    out.insert(static_cast<pid_t>(std::stol(entry.path().filename().string())));
  return out;
}

struct ThreadState {
  bool asleep = false;              // state S: blocked, e.g. in a futex (condition variable) wait
  long voluntary_switches = -1;     // times it gave up the CPU by blocking
};

inline ThreadState thread_state(pid_t tid) {
  ThreadState out;
  const std::string dir = "/proc/self/task/" + std::to_string(tid);
  std::ifstream stat(dir + "/stat");
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  auto paren = text.rfind(')');  // the name may hold spaces; the state follows ") "
  if (paren != std::string::npos && paren + 2 < text.size()) out.asleep = text[paren + 2] == 'S';
  std::ifstream status(dir + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("voluntary_ctxt_switches:", 0) == 0) out.voluntary_switches = std::stol(line.substr(24));
  }
  return out;
}

// Polls `condition` until it holds; false after `limit`, which only a broken scheduler reaches
// (the thread never gets where the test waits for it).
inline bool eventually(const std::function<bool()>& condition, std::chrono::seconds limit = std::chrono::seconds(10)) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > until) return false;
    std::this_thread::yield();
  }
  return true;
}

// Waits until `tid` has blocked again since it had `switches` voluntary switches, and is asleep:
// it woke, did what it was going to do, and waits once more.
inline bool asleep_again(pid_t tid, long switches) {
  return eventually([&] {
    ThreadState s = thread_state(tid);
    return s.asleep && s.voluntary_switches > switches;
  });
}

}  // namespace osslive::jobs::testing
