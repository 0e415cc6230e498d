#pragma once
// A regular-expression matcher whose time is linear in its input and whose stack depth does not
// depend on the input at all (a Pike VM: every NFA thread advances in lock-step, no backtracking).
// Text a caller sends is matched only with this, never with std::regex, whose backtracking
// recursion overflows the stack on long inputs.
//
// The subset is what plugin schemas use (ECMAScript syntax, as JSON Schema's "pattern"):
//   ^ $  literals  .  [abc] [a-z] [^...]  \s \S \d \D \w \W and escaped punctuation
//   (...) (?:...) with |   * + ? {n} {n,} {n,m} (a trailing ? for laziness is accepted and changes
//   nothing, since only whether there is a match is asked).
// Matching is by bytes: `.` and negated classes match any byte but the excluded ones, which for
// the ASCII classes used in schemas gives the same answer as matching by code points.
// Anything else (backreferences, lookaround, \b, ...) is a compile error, never a crash.
#include <bitset>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tinko::plugins {

class LinearPattern {
public:
    // The compiled pattern, or nullopt with `error` saying why it cannot be compiled.
    static std::optional<LinearPattern> compile(const std::string& pattern, std::string* error = nullptr);

    // True when the pattern matches somewhere in `text` (std::regex_search semantics).
    bool search(const std::string& text) const;
    // True when the pattern matches the whole of `text` (std::regex_match semantics).
    bool fullMatch(const std::string& text) const;

    // Program size bound: counted repetitions are expanded, so {1000}{1000} is refused.
    static constexpr std::size_t kMaxInstructions = 20000;

    enum class Op : std::uint8_t { Byte, Split, Jump, LineStart, LineEnd, Match };
    struct Instruction {
        Op op;
        int x = 0, y = 0;       // Split: both targets; Jump: x
        int byteSet = -1;       // Byte: index into sets_
    };

private:
    bool run(const std::string& text, bool anchoredWhole) const;

    std::vector<Instruction> program_;
    std::vector<std::bitset<256>> sets_;
};

}  // namespace tinko::plugins
