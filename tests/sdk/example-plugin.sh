#!/usr/bin/env bash
# The SDK as a third party gets it: installs the TinkoSDK component of this build into a fresh
# prefix, builds one of sdk/examples (hello-sms, hello-psp) out of tree against it with
# find_package(TinkoSDK) (with -Wall -Wextra -Wpedantic -Werror, so the headers stay clean for
# authors), runs the example's own tests, checks that the plugin exports nothing but
# tinko_plugin_entry, runs the installed tinko-plugin-check on it, compiles every installed helper
# header (tinko/helpers.hpp) alone, and leaves the plugin at OUTPUT for later tests.
# usage: example-plugin.sh BUILD_DIR EXAMPLE_SOURCE_DIR OUTPUT CXX_COMPILER
# CMAKE and CTEST name the tools to use (default: those on PATH).
set -euo pipefail
build_dir=$1
example=$2
output=$3
compiler=$4
cmake=${CMAKE:-cmake}
ctest=${CTEST:-ctest}

work=$(mktemp -d /tmp/tinko-sdk-example.XXXXXX)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
rm -f "$output"

"$cmake" --install "$build_dir" --component TinkoSDK --prefix "$prefix"
"$cmake" -S "$example" -B "$work/build" -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH="$prefix" \
  -DCMAKE_CXX_COMPILER="$compiler" -DCMAKE_CXX_FLAGS="-Wall -Wextra -Wpedantic -Werror" \
  -DCMAKE_FIND_PACKAGE_NO_PACKAGE_REGISTRY=ON
# Found the package just installed, not one from elsewhere on this machine.
grep -q "^TinkoSDK_DIR:PATH=$prefix/" "$work/build/CMakeCache.txt" ||
  { echo "find_package(TinkoSDK) did not use $prefix" >&2; exit 1; }
"$cmake" --build "$work/build" -j 2
"$ctest" --test-dir "$work/build" --output-on-failure

name=$(basename "$example")   # the example's folder names its plugin: hello-sms -> hello-sms.so
plugin=$work/build/$name.so
exported=$(nm -D --defined-only "$plugin" | awk '{print $NF}' | sort | tr '\n' ' ')
if [ "$exported" != "tinko_plugin_entry " ]; then
  echo "$name.so must export only tinko_plugin_entry, but exports: $exported" >&2
  exit 1
fi
"$prefix/bin/tinko-plugin-check" "$plugin"
# The installed signer: a key pair, a signature beside the plugin, checked as a host would.
"$prefix/bin/tinko-plugin-sign" keygen "$work/release" >/dev/null
"$prefix/bin/tinko-plugin-sign" sign "$work/release.key" "$plugin" >/dev/null
"$prefix/bin/tinko-plugin-sign" verify "$work/release.pub" "$plugin"

# Every helper header, installed, compiles on its own with nothing but the SDK (hello-sms uses one).
cat > "$work/helpers.cpp" <<'CPP'
#include <tinko/helpers.hpp>
int main() {
    namespace helpers = tinko::sdk::helpers;
    const bool ok = helpers::sha256Hex("abc").rfind("ba7816bf", 0) == 0 && helpers::amountToDecimal(1250, "USD") == "12.50" &&
                    helpers::formatRfc3339(0) == "1970-01-01T00:00:00Z" && helpers::encodeForm({{"a b", "c"}}) == "a%20b=c";
    return ok ? 0 : 1;
}
CPP
"$compiler" -std=c++17 -Wall -Wextra -Wpedantic -Werror -I"$prefix/include" "$work/helpers.cpp" -o "$work/helpers"
"$work/helpers" || { echo "the installed helpers gave wrong answers" >&2; exit 1; }

mkdir -p "$(dirname "$output")"
cp "$plugin" "$output.tmp"
mv "$output.tmp" "$output"
echo "built $output"
