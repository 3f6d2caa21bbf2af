include(CMakePackageConfigHelpers)

get_property(modules GLOBAL PROPERTY DARKFIGURE_MODULES)
install(TARGETS ${modules} darkfigure_library
        EXPORT darkfigureTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
# The command is installed but not exported: darkfigure::darkfigure names the library.
install(TARGETS darkfigure RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY include/darkfigure DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

set(config_dir ${CMAKE_INSTALL_LIBDIR}/cmake/darkfigure)
install(EXPORT darkfigureTargets NAMESPACE darkfigure:: DESTINATION ${config_dir})
configure_package_config_file(cmake/darkfigureConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/darkfigureConfig.cmake
                              INSTALL_DESTINATION ${config_dir})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/darkfigureConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/darkfigureConfig.cmake
              ${PROJECT_BINARY_DIR}/darkfigureConfigVersion.cmake
              cmake/FindRandom123.cmake
        DESTINATION ${config_dir})

# The Vega scripts that report.html inlines, laid out as web/node_modules is, where the installed
# command looks for them (share/darkfigure/vega beside bin/): installed when `npm ci` has been run
# in web/ before configuring. Without them `darkfigure report` needs DARKFIGURE_VEGA_DIR.
set(vega_modules ${PROJECT_SOURCE_DIR}/web/node_modules)
if(EXISTS ${vega_modules}/vega/build/vega.min.js
   AND EXISTS ${vega_modules}/vega-lite/build/vega-lite.min.js
   AND EXISTS ${vega_modules}/vega-embed/build/vega-embed.min.js)
  foreach(package vega vega-lite vega-embed)
    set(destination ${CMAKE_INSTALL_DATADIR}/darkfigure/vega/${package})
    install(FILES ${vega_modules}/${package}/build/${package}.min.js
            DESTINATION ${destination}/build)
    install(FILES ${vega_modules}/${package}/package.json ${vega_modules}/${package}/LICENSE
            DESTINATION ${destination})
  endforeach()
else()
  message(STATUS "No Vega builds in web/node_modules (run `npm ci` in web/): the installed "
                 "darkfigure will need DARKFIGURE_VEGA_DIR to write report.html")
endif()
