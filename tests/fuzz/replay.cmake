# Every stored fuzz input (corpus/<target>/ and regressions/<target>/) replayed by ctest in the
# normal gcc build: the libFuzzer targets need clang (CMakeLists.txt beside this file), so each
# target's source is linked here with replay_main.cpp instead of libFuzzer. The core module is
# compiled again with UBSan (aborting) for these binaries, so the reproducers of its overflow
# findings fail if the fix goes.
get_target_property(osslive_core_dir osslive_core SOURCE_DIR)
get_target_property(osslive_core_sources osslive_core SOURCES)
list(TRANSFORM osslive_core_sources PREPEND ${osslive_core_dir}/)
add_library(osslive_core_ubsan OBJECT ${osslive_core_sources})
target_include_directories(osslive_core_ubsan PUBLIC ${PROJECT_SOURCE_DIR}/include)
target_link_libraries(osslive_core_ubsan PUBLIC osslive_options OpenSSL::Crypto nlohmann_json::nlohmann_json Threads::Threads)
target_compile_options(osslive_core_ubsan PRIVATE -fsanitize=undefined -fno-sanitize-recover=undefined)

set(fuzz_dir ${CMAKE_CURRENT_LIST_DIR})
# What each target links, as in CMakeLists.txt beside this file; a target is replayed when its
# fuzz_<name>.cpp is there.
set(replay_deps_process osslive::process)
set(replay_deps_auth osslive::auth)
set(replay_deps_canonical osslive::auth)
set(replay_deps_range osslive::oss osslive::core)
set(replay_deps_hls osslive::hls)
set(replay_deps_hls_json osslive::hls)
set(replay_deps_xml osslive::oss)
set(replay_targets)
foreach(target process auth canonical range hls hls_json xml)
  if(EXISTS ${fuzz_dir}/fuzz_${target}.cpp)
    list(APPEND replay_targets ${target})
  endif()
endforeach()
foreach(target ${replay_targets})
  # The UBSan objects come first, so the plain core library is never pulled in beside them.
  add_executable(fuzz_replay_${target} ${fuzz_dir}/replay_main.cpp ${fuzz_dir}/fuzz_${target}.cpp
    $<TARGET_OBJECTS:osslive_core_ubsan>)
  target_link_libraries(fuzz_replay_${target} PRIVATE ${replay_deps_${target}} osslive_options)
  target_link_options(fuzz_replay_${target} PRIVATE -fsanitize=undefined)
  set(inputs ${fuzz_dir}/corpus/${target})
  if(EXISTS ${fuzz_dir}/regressions/${target})
    list(APPEND inputs ${fuzz_dir}/regressions/${target})
  endif()
  add_test(NAME fuzz_replay_${target} COMMAND fuzz_replay_${target} ${inputs})
  set_tests_properties(fuzz_replay_${target} PROPERTIES LABELS "unit;fuzz"
    ENVIRONMENT "UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1")
endforeach()

# A folder of inputs no replay reads would be a reproducer that silently stopped running.
file(GLOB stored_dirs LIST_DIRECTORIES true ${fuzz_dir}/corpus/* ${fuzz_dir}/regressions/*)
foreach(dir ${stored_dirs})
  get_filename_component(name ${dir} NAME)
  if(IS_DIRECTORY ${dir} AND NOT name IN_LIST replay_targets)
    message(FATAL_ERROR "${dir}: no fuzz replay test reads it (add its target to tests/fuzz/replay.cmake)")
  endif()
endforeach()
