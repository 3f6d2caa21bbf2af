#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace darkfigure::engine {

/// A fixed set of worker threads that run numbered tasks. The calling thread takes part, so a
/// pool of size 1 starts no thread at all.
class ThreadPool {
 public:
  /// `threads` workers in all (0 means one per hardware thread).
  explicit ThreadPool(unsigned threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  /// The number of workers, the calling thread included.
  unsigned size() const noexcept { return size_; }

  /// Runs body(task, worker) for every task in [0, task_count), spread over the workers, and
  /// returns when all have finished. worker is in [0, size()), so per-worker scratch can be
  /// indexed by it. The first exception thrown by a task is rethrown here after the others end.
  void parallel_for(std::size_t task_count,
                    const std::function<void(std::size_t task, unsigned worker)>& body);

 private:
  unsigned size_;
  std::vector<std::jthread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  // private state of the running job: owned by the implementation
  struct Job;
  Job* job_ = nullptr;
  std::size_t generation_ = 0;
  bool stopping_ = false;
  void work(unsigned worker);
  void stop() noexcept;
};

}  // namespace darkfigure::engine
