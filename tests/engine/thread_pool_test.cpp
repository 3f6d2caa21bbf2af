#include "darkfigure/engine/thread_pool.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

using darkfigure::engine::ThreadPool;

TEST_CASE("every task runs exactly once, on a worker in range") {
  for (const unsigned threads : {1u, 2u, 3u, 8u}) {
    ThreadPool pool(threads);
    REQUIRE(pool.size() == threads);
    for (const std::size_t task_count :
         {std::size_t{0}, std::size_t{1}, std::size_t{7}, std::size_t{1000}}) {
      std::vector<std::atomic<int>> runs(task_count);
      std::atomic<bool> worker_out_of_range{false};
      pool.parallel_for(task_count, [&](std::size_t task, unsigned worker) {
        runs[task].fetch_add(1);
        if (worker >= pool.size()) worker_out_of_range = true;
      });
      CAPTURE(threads, task_count);
      CHECK_FALSE(worker_out_of_range);
      for (std::size_t task = 0; task < task_count; ++task) {
        CAPTURE(task);
        CHECK(runs[task].load() == 1);
      }
    }
  }
}

TEST_CASE("a pool is reused across many calls") {
  ThreadPool pool(3);
  std::atomic<std::size_t> total{0};
  std::size_t expected = 0;
  for (std::size_t call = 0; call < 200; ++call) {
    const std::size_t task_count = call % 13;
    pool.parallel_for(task_count, [&](std::size_t task, unsigned) { total += task + 1; });
    expected += task_count * (task_count + 1) / 2;
  }
  CHECK(total.load() == expected);
}

TEST_CASE("a pool of size 1 runs every task in order on the calling thread") {
  ThreadPool pool(1);
  const std::thread::id caller = std::this_thread::get_id();
  std::vector<std::size_t> order;
  bool all_on_caller = true;
  pool.parallel_for(50, [&](std::size_t task, unsigned worker) {
    order.push_back(task);
    all_on_caller = all_on_caller && worker == 0 && std::this_thread::get_id() == caller;
  });
  CHECK(all_on_caller);
  REQUIRE(order.size() == 50);
  for (std::size_t i = 0; i < order.size(); ++i)
    CHECK(order[i] == i);
}

TEST_CASE("size 0 means one worker per hardware thread") {
  ThreadPool pool(0);
  CHECK(pool.size() >= 1);
  if (std::thread::hardware_concurrency() != 0) {
    CHECK(pool.size() == std::thread::hardware_concurrency());
  }
}

TEST_CASE("the workers of a pool run tasks at the same time") {
  // Task 0 waits for task 1, so a pool that ran its tasks one after another would never see the
  // signal. The wait is bounded only so that such a failure ends instead of hanging.
  ThreadPool pool(2);
  std::mutex mutex;
  std::condition_variable signal;
  bool task_1_ran = false;
  bool task_0_saw_it = false;
  std::set<unsigned> workers;
  pool.parallel_for(2, [&](std::size_t task, unsigned worker) {
    std::unique_lock lock(mutex);
    workers.insert(worker);
    if (task == 1) {
      task_1_ran = true;
      signal.notify_all();
    } else {
      task_0_saw_it = signal.wait_for(lock, std::chrono::seconds(60), [&] { return task_1_ran; });
    }
  });
  CHECK(task_0_saw_it);
  CHECK(workers == std::set<unsigned>{0, 1});
}

TEST_CASE("the first exception of a task reaches the caller and the pool stays usable") {
  for (const unsigned threads : {1u, 4u}) {
    ThreadPool pool(threads);
    std::atomic<std::size_t> ran{0};
    CAPTURE(threads);
    CHECK_THROWS_WITH(pool.parallel_for(10'000,
                                        [&](std::size_t task, unsigned) {
                                          ran.fetch_add(1);
                                          if (task == 17)
                                            throw std::runtime_error("task 17 failed");
                                        }),
                      "task 17 failed");
    // Once a task has failed no worker takes a new one; with one worker that is exact.
    if (threads == 1) CHECK(ran.load() == 18);

    // Several failing tasks: exactly one of their exceptions is rethrown.
    CHECK_THROWS_AS(
        pool.parallel_for(100, [](std::size_t, unsigned) { throw std::logic_error("x"); }),
        std::logic_error);

    std::vector<std::atomic<int>> runs(500);
    pool.parallel_for(runs.size(), [&](std::size_t task, unsigned) { runs[task].fetch_add(1); });
    std::size_t ran_once = 0;
    for (const auto& count : runs)
      ran_once += count.load() == 1;
    CHECK(ran_once == runs.size());
  }
}
