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
