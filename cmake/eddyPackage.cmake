# Installing eddy: the library (shared and static), the header, eddy.pc and the CMake package
# (eddyConfig.cmake: eddy::eddy, eddy::eddy_static). Included by the top-level CMakeLists.txt
# once the targets exist.
include(CMakePackageConfigHelpers)

# The pkg-config module of each PkgConfig::<prefix> target that eddy_static links: eddy.pc's
# Libs.private and eddyConfig.cmake (which makes the same targets again for a static link) are
# generated from it. A new dependency without an entry here fails the configure, below.
set(EDDY_PKG_MODULES JSC=javascriptcoregtk-4.1 UV=libuv CURL=libcurl OPENSSL=libcrypto)
list(APPEND EDDY_PKG_MODULES ZLIB=zlib BROTLIENC=libbrotlienc BROTLIDEC=libbrotlidec ZSTD=libzstd)
list(APPEND EDDY_PKG_MODULES GLIB=glib-2.0) # EDDY_JSC_GLIB with another JSC than WebKitGTK's
list(APPEND EDDY_PKG_MODULES ICU=icu-uc)

get_target_property(_eddy_static_libs eddy_static INTERFACE_LINK_LIBRARIES)
set(EDDY_STATIC_DEPS "")     # "PREFIX=module" of each dependency, for eddyConfig.cmake
set(_eddy_libs_private "")   # for eddy.pc
foreach(lib IN LISTS _eddy_static_libs)
  if(lib MATCHES "^PkgConfig::(.+)$")
    set(prefix ${CMAKE_MATCH_1})
    set(module "")
    foreach(entry IN LISTS EDDY_PKG_MODULES)
      if(entry MATCHES "^${prefix}=(.+)$")
        set(module ${CMAKE_MATCH_1})
      endif()
    endforeach()
    if(NOT module)
      message(FATAL_ERROR "eddy_static links ${lib}: add ${prefix}=<pkg-config module> to "
                          "EDDY_PKG_MODULES in cmake/eddyPackage.cmake")
    endif()
    list(APPEND EDDY_STATIC_DEPS "${prefix}=${module}")
    foreach(dir IN LISTS ${prefix}_LIBRARY_DIRS)
      if(NOT dir IN_LIST CMAKE_C_IMPLICIT_LINK_DIRECTORIES)
        list(APPEND _eddy_libs_private -L${dir})
      endif()
    endforeach()
    foreach(name IN LISTS ${prefix}_LIBRARIES)
      list(APPEND _eddy_libs_private -l${name})
    endforeach()
  elseif(lib STREQUAL "Threads::Threads")
    list(APPEND _eddy_libs_private ${CMAKE_THREAD_LIBS_INIT})
  elseif(lib MATCHES "^[A-Za-z0-9_.+-]+$")
    list(APPEND _eddy_libs_private -l${lib})
  elseif(IS_ABSOLUTE "${lib}") # EDDY_JSC_LIBRARY, or Apple's JavaScriptCore framework
    if(lib MATCHES "/([^/]+)\\.framework$")
      list(APPEND _eddy_libs_private "-framework ${CMAKE_MATCH_1}")
    else()
      list(APPEND _eddy_libs_private ${lib})
    endif()
  else()
    message(FATAL_ERROR "eddy_static links ${lib}: teach cmake/eddyPackage.cmake its flags")
  endif()
endforeach()
list(REMOVE_DUPLICATES _eddy_libs_private)
# Only a static link needs these, and as plain flags they need no other package's .pc file:
# Requires.private would make `pkg-config --cflags --libs eddy` look up JavaScriptCore's,
# libuv's and libcurl's .pc files and add WebKitGTK's and GLib's include paths, which the
# public header never uses.
list(JOIN _eddy_libs_private " " EDDY_PC_LIBS_PRIVATE)

# The .pc finds its prefix from its own location, so `cmake --install --prefix` anywhere works.
file(RELATIVE_PATH EDDY_PC_TO_PREFIX /${CMAKE_INSTALL_LIBDIR}/pkgconfig /)
configure_file(cmake/eddy.pc.in ${CMAKE_CURRENT_BINARY_DIR}/eddy.pc @ONLY)

install(TARGETS eddy EXPORT eddyTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS eddy_static EXPORT eddyStaticTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(FILES include/eddy.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/eddy.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

set(EDDY_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/eddy)
install(EXPORT eddyTargets NAMESPACE eddy:: DESTINATION ${EDDY_CMAKE_DIR})
install(EXPORT eddyStaticTargets NAMESPACE eddy:: DESTINATION ${EDDY_CMAKE_DIR})
configure_package_config_file(cmake/eddyConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/eddyConfig.cmake INSTALL_DESTINATION ${EDDY_CMAKE_DIR})
# 0.x: a minor release may change the ABI.
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/eddyConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/eddyConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/eddyConfigVersion.cmake
        DESTINATION ${EDDY_CMAKE_DIR})
