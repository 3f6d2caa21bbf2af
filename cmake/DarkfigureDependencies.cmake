# Every dependency is a Debian 12 package with a CMake package configuration, except Random123
# (headers only, found by FindRandom123.cmake beside this file).
find_package(Boost 1.74 REQUIRED CONFIG COMPONENTS random program_options)
find_package(Eigen3 3.4 REQUIRED CONFIG)
find_package(tomlplusplus 3 REQUIRED CONFIG)
find_package(nlohmann_json 3 REQUIRED CONFIG)
find_package(Random123 REQUIRED)
find_package(Threads REQUIRED)
if(DARKFIGURE_BUILD_TESTS)
  find_package(Catch2 2 REQUIRED CONFIG)
endif()
if(DARKFIGURE_BUILD_BENCHMARKS)
  find_package(benchmark REQUIRED CONFIG)
endif()
