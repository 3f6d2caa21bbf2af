# One static library per module (src/<module>/, include/darkfigure/<module>/), linked only to the
# modules below it, so the layering of the architecture is checked by the linker.
add_library(darkfigure_warnings INTERFACE)
target_compile_options(darkfigure_warnings INTERFACE -Wall -Wextra -Wpedantic -Wshadow
                                                     -Wconversion -Wno-sign-conversion)

function(darkfigure_add_module name)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "" "SOURCES;DEPENDS;PRIVATE_DEPENDS")
  set(target darkfigure_${name})
  add_library(${target} STATIC ${ARG_SOURCES})
  add_library(darkfigure::${name} ALIAS ${target})
  target_include_directories(${target}
    PUBLIC $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
           $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>
    PRIVATE ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(${target} PUBLIC ${ARG_DEPENDS}
                                  PRIVATE ${ARG_PRIVATE_DEPENDS} $<BUILD_INTERFACE:darkfigure_warnings>)
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${name} POSITION_INDEPENDENT_CODE ON)
  set_property(GLOBAL APPEND PROPERTY DARKFIGURE_MODULES ${target})
endfunction()
