# Writes darkfigure/version.hpp with the commit checked out now, at every build, so that a binary
# names the commit it was built from and not the one its build directory was configured at.
# configure_file rewrites the header only when its text changes, so an unchanged commit rebuilds
# nothing.
#
#   cmake -DSOURCE_DIR=... -DTEMPLATE=... -DOUTPUT=... -DPROJECT_VERSION=... [-DGIT_EXECUTABLE=...]
#         -P WriteVersion.cmake

set(DARKFIGURE_GIT_COMMIT "")
if(GIT_EXECUTABLE)
  execute_process(COMMAND ${GIT_EXECUTABLE} rev-parse HEAD
                  WORKING_DIRECTORY ${SOURCE_DIR}
                  OUTPUT_VARIABLE DARKFIGURE_GIT_COMMIT
                  OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
endif()
configure_file(${TEMPLATE} ${OUTPUT} @ONLY)
