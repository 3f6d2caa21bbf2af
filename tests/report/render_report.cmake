# cmake -DDARKFIGURE=... -DSOURCE_DIR=... -DOUT=... -P render_report.cmake
# Publishes three scenarios with `darkfigure report`, checks the files it writes, then has
# web/render-report.mjs open report.html in headless Chromium and check that every chart draws
# with no request beyond the file and no console error. Leaves report.png in OUT.
file(REMOVE_RECURSE "${OUT}")

function(run)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE result OUTPUT_VARIABLE output
                  ERROR_VARIABLE output)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "failed (${result}): ${ARGN}\n${output}")
  endif()
  message(STATUS "${output}")
endfunction()

run("${DARKFIGURE}" report "${SOURCE_DIR}/scenarios/kazakhstan-2023.toml"
    "${SOURCE_DIR}/scenarios/kazakhstan-2023-conditioned.toml"
    "${SOURCE_DIR}/scenarios/examples/crisis-uptake-sweep.toml" --draws 20000 --out "${OUT}")

foreach(name summary.csv summary.md summary.tex summary.json report.html)
  if(NOT EXISTS "${OUT}/${name}")
    message(FATAL_ERROR "darkfigure report wrote no ${OUT}/${name}")
  endif()
endforeach()
file(GLOB plots "${OUT}/plots/*.vl.json")
if(NOT plots)
  message(FATAL_ERROR "darkfigure report wrote no figure in ${OUT}/plots")
endif()

run(node "${SOURCE_DIR}/web/render-report.mjs" "${OUT}/report.html"
    --screenshot "${OUT}/report.png")
