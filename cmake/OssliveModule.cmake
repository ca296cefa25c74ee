# osslive_module(<name> SOURCES ... [DEPS ...])
# One static library per module, aliased osslive::<name>; headers live in include/osslive/<name>/.
function(osslive_module name)
  cmake_parse_arguments(M "" "" "SOURCES;DEPS" ${ARGN})
  add_library(osslive_${name} STATIC ${M_SOURCES})
  add_library(osslive::${name} ALIAS osslive_${name})
  target_include_directories(osslive_${name} PUBLIC ${PROJECT_SOURCE_DIR}/include)
  target_link_libraries(osslive_${name} PUBLIC osslive_options ${M_DEPS})
endfunction()

# osslive_unit_test(<name> SOURCES ... DEPS ...): a GoogleTest binary registered with ctest.
function(osslive_unit_test name)
  cmake_parse_arguments(T "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_DEPS} GTest::gtest GTest::gtest_main GTest::gmock osslive_options)
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS unit)
endfunction()
