# Checks that results/ is the published report of scenarios/ as the current code makes it: runs
# `darkfigure report` on every scenario, as scripts/quickstart.sh run does, and compares every
# table row of summary.md (intervals, inputs and sources, observations, sensitivity studies) and
# the list of figures with the committed ones. Provenance (dates, commit, threads) may differ.
#
#   cmake -DDARKFIGURE=... -DSOURCE_DIR=... -DOUT=... -P results_current.cmake

file(REMOVE_RECURSE ${OUT})
file(GLOB scenarios ${SOURCE_DIR}/scenarios/*.toml)
file(GLOB examples ${SOURCE_DIR}/scenarios/examples/*.toml)
list(SORT scenarios)
list(SORT examples)
execute_process(COMMAND ${DARKFIGURE} report ${scenarios} ${examples} --out ${OUT}
                WORKING_DIRECTORY ${SOURCE_DIR}
                OUTPUT_QUIET RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "darkfigure report failed with ${status}")
endif()

function(table_rows path variable)
  file(STRINGS ${path} lines REGEX "^\\|")
  set(${variable} "${lines}" PARENT_SCOPE)
endfunction()

table_rows(${SOURCE_DIR}/results/summary.md committed)
table_rows(${OUT}/summary.md fresh)
list(LENGTH committed committed_count)
list(LENGTH fresh fresh_count)
if(NOT committed_count EQUAL fresh_count)
  message(FATAL_ERROR "results/summary.md has ${committed_count} table rows, the code makes "
                      "${fresh_count}: run scripts/quickstart.sh run and commit results/")
endif()
foreach(i RANGE 1 ${fresh_count})
  math(EXPR index "${i} - 1")
  list(GET committed ${index} a)
  list(GET fresh ${index} b)
  if(NOT a STREQUAL b)
    message(FATAL_ERROR "results/summary.md is stale: it has\n  ${a}\nwhere the code makes\n  ${b}\n"
                        "run scripts/quickstart.sh run and commit results/")
  endif()
endforeach()

file(GLOB committed_plots RELATIVE ${SOURCE_DIR}/results/plots ${SOURCE_DIR}/results/plots/*.vl.json)
file(GLOB fresh_plots RELATIVE ${OUT}/plots ${OUT}/plots/*.vl.json)
list(SORT committed_plots)
list(SORT fresh_plots)
if(NOT committed_plots STREQUAL fresh_plots)
  message(FATAL_ERROR "results/plots/ holds other figures than the code makes: run "
                      "scripts/quickstart.sh run and commit results/")
endif()
foreach(name summary.csv summary.tex summary.json report.html report.png)
  if(NOT EXISTS ${SOURCE_DIR}/results/${name})
    message(FATAL_ERROR "results/${name} is missing: run scripts/quickstart.sh run")
  endif()
endforeach()
