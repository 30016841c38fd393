# nemis_module(NAME DEPS ...): a static library from the folder's .cpp files, and a
# test executable NAME_tests from its *_test.cpp files (picked up by suffix).
#
# Include privacy (DESIGN.md: "a module sees only the headers of what it declares"):
# each module's headers are reachable only through an include root of its own,
# build/include/nemis_NAME, holding one entry NAME -> src/NAME (a symbolic link). The
# library publishes that root and links its DEPS publicly, so a module, its tests and
# its dependents see the roots of the module and of everything it declares,
# transitively, and nothing else: `#include "importer/x.hpp"` in a module that does not
# declare nemis_importer (or a module depending on it) fails to compile. Tests also see
# src/testing (they link nemis_testing). The include_privacy_* tests check both sides.
function(nemis_module name)
  cmake_parse_arguments(M "" "" "DEPS;SOURCE_DIRS" ${ARGN})
  get_filename_component(folder ${CMAKE_CURRENT_SOURCE_DIR} NAME)
  if(NOT folder STREQUAL name)
    message(FATAL_ERROR "nemis_module(${name}) must be called from src/${name}, not ${CMAKE_CURRENT_SOURCE_DIR}")
  endif()
  set(dirs ${CMAKE_CURRENT_SOURCE_DIR} ${M_SOURCE_DIRS})
  set(all "")
  foreach(d ${dirs})
    file(GLOB found CONFIGURE_DEPENDS ${d}/*.cpp)
    list(APPEND all ${found})
  endforeach()
  set(tests ${all})
  list(FILTER tests INCLUDE REGEX "_test\\.cpp$")
  set(benches ${all})
  list(FILTER benches INCLUDE REGEX "_benchmark\\.cpp$")
  set(sources ${all})
  list(FILTER sources EXCLUDE REGEX "(_(test|benchmark)|/main)\\.cpp$")
  set(root ${PROJECT_BINARY_DIR}/include/nemis_${name})
  file(MAKE_DIRECTORY ${root})
  file(CREATE_LINK ${CMAKE_CURRENT_SOURCE_DIR} ${root}/${name} SYMBOLIC)
  if(sources)
    add_library(nemis_${name} STATIC ${sources})
    target_include_directories(nemis_${name} PUBLIC ${root})
    target_link_libraries(nemis_${name} PUBLIC ${M_DEPS})
  else()
    add_library(nemis_${name} INTERFACE)
    target_include_directories(nemis_${name} INTERFACE ${root})
    target_link_libraries(nemis_${name} INTERFACE ${M_DEPS})
  endif()
  if(tests)
    add_executable(${name}_tests ${tests})
    target_link_libraries(${name}_tests PRIVATE nemis_${name} nemis_testing GTest::gtest GTest::gmock GTest::gtest_main)
    gtest_discover_tests(${name}_tests DISCOVERY_MODE PRE_TEST PROPERTIES LABELS unit)
  endif()
  if(benches AND benchmark_FOUND)
    add_executable(${name}_benchmarks ${benches})
    target_link_libraries(${name}_benchmarks PRIVATE nemis_${name} benchmark::benchmark_main)
  endif()
endfunction()
include(GoogleTest)

# The check of include privacy: two probes built on demand (never by `all`), each
# linked to nemis_codes alone. One includes what codes declares (base) and must
# compile; the other includes an importer header, which codes does not declare, and
# must fail for want of that header. Each test builds its probe in this build tree,
# so they hold a lock against each other.
function(nemis_include_privacy_tests)
  set(dir ${PROJECT_BINARY_DIR}/include_privacy)
  file(WRITE ${dir}/declared.cpp
       "#include \"base/result.hpp\"\n#include \"codes/division.hpp\"\n"
       "int NemisPrivacyProbe() { return nemis::codes::IsKnownDivision(\"440106\") ? 0 : 1; }\n")
  file(WRITE ${dir}/undeclared.cpp
       "#include \"codes/division.hpp\"\n#include \"importer/student_columns.hpp\"\n"
       "int NemisPrivacyProbe() { return 0; }\n")
  foreach(probe declared undeclared)
    add_library(nemis_privacy_${probe} OBJECT EXCLUDE_FROM_ALL ${dir}/${probe}.cpp)
    target_link_libraries(nemis_privacy_${probe} PRIVATE nemis_codes)
    add_test(NAME include_privacy_${probe}
             COMMAND ${CMAKE_COMMAND} --build ${PROJECT_BINARY_DIR} --target nemis_privacy_${probe})
    set_tests_properties(include_privacy_${probe} PROPERTIES
                         LABELS unit RESOURCE_LOCK nemis_build_tree TIMEOUT 300)
  endforeach()
  set_tests_properties(include_privacy_undeclared PROPERTIES
                       PASS_REGULAR_EXPRESSION "importer/student_columns\\.hpp(: No such file|' file not found)")
endfunction()
# After every module is defined (the end of the top-level CMakeLists.txt).
cmake_language(DEFER CALL nemis_include_privacy_tests)
