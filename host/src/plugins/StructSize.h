#pragma once
// The struct_size rule of abi.h, for structs a plugin allocated and the host fills: the host writes
// only the bytes both sides know, so a plugin built against an older, shorter struct never has its
// stack written past the struct's end.
#include "tinko/abi.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

namespace tinko::plugins {

// Copies `hostValue` into `pluginStruct`, at most min(pluginStruct->struct_size, sizeof(T)) bytes,
// keeping the plugin's struct_size. The caller has checked that struct_size covers ABI 1.0's fields.
template <class T>
void writeWithinPluginSize(T* pluginStruct, const T& hostValue) {
    static_assert(std::is_trivially_copyable_v<T> && offsetof(T, struct_size) == 0, "an ABI struct");
    const std::size_t size = std::min<std::size_t>(pluginStruct->struct_size, sizeof(T));
    constexpr std::size_t from = sizeof(std::uint32_t);   // struct_size stays as the plugin set it
    if (size > from)
        std::memcpy(reinterpret_cast<char*>(pluginStruct) + from, reinterpret_cast<const char*>(&hostValue) + from, size - from);
}

}  // namespace tinko::plugins
