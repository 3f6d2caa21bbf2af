# Runs the limit program and darkfigure on the reference model and fails unless every output's
# mean, sd and quantiles are the same numbers: the limit program measures the engine's cost only
# if it does the same work.
#
#   cmake -DLIMIT=... -DDARKFIGURE=... -DMODEL=... -DDRAWS=... -DTHREADS=... -P compare.cmake

execute_process(COMMAND "${LIMIT}" "${DRAWS}" "${THREADS}" OUTPUT_VARIABLE limit
                RESULT_VARIABLE limit_status)
execute_process(COMMAND "${DARKFIGURE}" run "${MODEL}" --draws "${DRAWS}" --threads "${THREADS}"
                        --format json OUTPUT_VARIABLE engine RESULT_VARIABLE engine_status)
if(NOT limit_status EQUAL 0 OR NOT engine_status EQUAL 0)
  message(FATAL_ERROR "exit codes: limit ${limit_status}, darkfigure ${engine_status}")
endif()

string(JSON outputs GET "${engine}" scenarios 0 outputs)
foreach(name IN ITEMS victims_police victims_crisis victims prevalence exceeds)
  foreach(path IN ITEMS "mean" "sd" "quantiles;0.025" "quantiles;0.5" "quantiles;0.975")
    string(JSON expected GET "${outputs}" ${name} ${path})
    string(JSON got GET "${limit}" outputs ${name} ${path})
    if(NOT got STREQUAL expected)
      message(FATAL_ERROR "${name} ${path}: limit program ${got}, darkfigure ${expected}")
    endif()
  endforeach()
endforeach()
