# tinko_add_plugin(<target> SOURCES <file>... [OUTPUT_NAME <name>])
#
# Builds a Tinko plugin: a MODULE library named <name>.so (default: <target>.so, no "lib" prefix)
# with the flags that let the host unload it again after a swap:
#   - hidden visibility, also for inline functions, and a version script exporting only
#     tinko_plugin_entry: nothing of the plugin can clash with the host or another plugin;
#   - -fno-gnu-unique (GCC): a static in an inline function or template would otherwise become an
#     STB_GNU_UNIQUE symbol, which makes dlclose() a silent no-op and makes version 2 share
#     version 1's objects;
#   - -Wl,--no-undefined: a missing symbol fails the link now, not the host's dlopen later.
# The plugin links TinkoSDK::sdk (headers only); link anything else with target_link_libraries.
# Used both inside the Tinko tree and by out-of-tree plugins through find_package(TinkoSDK).
include_guard(GLOBAL)

function(tinko_add_plugin target)
  cmake_parse_arguments(PARSE_ARGV 1 ARG "" "OUTPUT_NAME" "SOURCES")
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "tinko_add_plugin(${target}): unexpected arguments: ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT ARG_SOURCES)
    message(FATAL_ERROR "tinko_add_plugin(${target}): SOURCES is required")
  endif()
  if(NOT ARG_OUTPUT_NAME)
    set(ARG_OUTPUT_NAME ${target})
  endif()
  if(NOT TARGET TinkoSDK::sdk)
    message(FATAL_ERROR "tinko_add_plugin(${target}): TinkoSDK::sdk is not defined; use find_package(TinkoSDK)")
  endif()

  # The map file sits beside this file, in the source tree and in an installed SDK alike.
  set(version_script "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/tinko-plugin.map")

  add_library(${target} MODULE ${ARG_SOURCES})
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    SUFFIX ".so"
    OUTPUT_NAME ${ARG_OUTPUT_NAME}
    CXX_STANDARD 17
    CXX_STANDARD_REQUIRED ON
    CXX_EXTENSIONS OFF
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    POSITION_INDEPENDENT_CODE ON
    LINK_DEPENDS "${version_script}")
  target_link_libraries(${target} PRIVATE TinkoSDK::sdk)
  target_compile_options(${target} PRIVATE
    $<$<AND:$<COMPILE_LANGUAGE:CXX>,$<CXX_COMPILER_ID:GNU>>:-fno-gnu-unique>)
  target_link_options(${target} PRIVATE
    "LINKER:--no-undefined"
    "LINKER:--version-script=${version_script}")
endfunction()
