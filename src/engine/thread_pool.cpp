#include "darkfigure/engine/thread_pool.hpp"

#include <algorithm>
#include <atomic>
#include <exception>

#include "darkfigure/core/error.hpp"

namespace darkfigure::engine {

// One parallel_for call. It lives on the caller's stack; parallel_for returns only after every
// worker has left it, so no worker ever sees a dangling job.
struct ThreadPool::Job {
  const std::function<void(std::size_t, unsigned)>* body = nullptr;
  std::size_t task_count = 0;
  // Tasks are handed out one at a time from this counter, so a slow task never holds up the
  // tasks queued behind it on the same worker.
  std::atomic<std::size_t> next_task{0};
  std::atomic<bool> failed{false};
  std::mutex error_mutex;
  std::exception_ptr first_error;
  unsigned workers_inside = 0;  ///< helper threads still in the job (guarded by the pool mutex)

  void run(unsigned worker) {
    while (!failed.load(std::memory_order_relaxed)) {
      const std::size_t task = next_task.fetch_add(1, std::memory_order_relaxed);
      if (task >= task_count) return;
      try {
        (*body)(task, worker);
      } catch (...) {
        const std::lock_guard lock(error_mutex);
        if (!first_error) first_error = std::current_exception();
        failed.store(true, std::memory_order_relaxed);
      }
    }
  }
};

ThreadPool::ThreadPool(unsigned threads)
    : size_(threads != 0 ? threads : std::max(1u, std::thread::hardware_concurrency())) {
  // Worker 0 is the thread that calls parallel_for; the others wait here until there is work.
  workers_.reserve(size_ - 1);
  try {
    for (unsigned worker = 1; worker < size_; ++worker) {
      workers_.emplace_back([this, worker] { work(worker); });
    }
  } catch (...) {
    // The destructor does not run for a half-built pool: stop the workers already started.
    stop();
    throw;
  }
}

ThreadPool::~ThreadPool() {
  stop();
}

void ThreadPool::stop() noexcept {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  // Join now, while the mutex and condition variables the workers wait on still exist.
  workers_.clear();
}

void ThreadPool::parallel_for(std::size_t task_count,
                              const std::function<void(std::size_t, unsigned)>& body) {
  if (task_count == 0) return;
  Job job;
  job.body = &body;
  job.task_count = task_count;
  if (!workers_.empty()) {
    {
      const std::lock_guard lock(mutex_);
      // One job at a time: a second caller, or a task calling back into its own pool, is a bug.
      DARKFIGURE_CHECK(job_ == nullptr);
      job_ = &job;
      job.workers_inside = static_cast<unsigned>(workers_.size());
      ++generation_;
    }
    wake_.notify_all();
  }
  job.run(0);
  if (!workers_.empty()) {
    std::unique_lock lock(mutex_);
    done_.wait(lock, [&job] { return job.workers_inside == 0; });
    job_ = nullptr;
  }
  if (job.first_error) std::rethrow_exception(job.first_error);
}

void ThreadPool::work(unsigned worker) {
  std::size_t seen = 0;
  std::unique_lock lock(mutex_);
  while (true) {
    // Sleeps without spinning until a new job is posted or the pool shuts down.
    wake_.wait(lock, [this, seen] { return stopping_ || generation_ != seen; });
    if (stopping_) return;
    seen = generation_;
    Job* job = job_;
    lock.unlock();
    job->run(worker);
    lock.lock();
    // The caller cannot post the next job before every worker has left this one, so no worker
    // ever misses a generation.
    if (--job->workers_inside == 0) done_.notify_one();
  }
}

}  // namespace darkfigure::engine
