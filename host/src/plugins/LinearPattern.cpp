#include "plugins/LinearPattern.h"

#include <memory>

namespace tinko::plugins {

namespace {

using ByteSet = std::bitset<256>;

struct Node {
    enum class Kind { Empty, Bytes, Concat, Alternation, Repeat, LineStart, LineEnd } kind = Kind::Empty;
    ByteSet bytes;                                   // Bytes
    std::vector<std::unique_ptr<Node>> children;     // Concat, Alternation; Repeat: one
    int min = 0, max = 0;                            // Repeat; max -1 = unbounded
};
using NodePtr = std::unique_ptr<Node>;

NodePtr makeNode(Node::Kind kind) {
    auto n = std::make_unique<Node>();
    n->kind = kind;
    return n;
}

ByteSet rangeSet(int from, int to) {
    ByteSet s;
    for (int c = from; c <= to; ++c) s.set(static_cast<std::size_t>(c));
    return s;
}

ByteSet spaceSet() {
    ByteSet s;
    for (char c : std::string(" \t\n\v\f\r")) s.set(static_cast<unsigned char>(c));
    return s;
}

ByteSet wordSet() { return rangeSet('a', 'z') | rangeSet('A', 'Z') | rangeSet('0', '9') | rangeSet('_', '_'); }

bool isAsciiAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// Recursive descent over the pattern (the plugin's text, never the caller's); nesting is bounded.
class Parser {
public:
    explicit Parser(const std::string& pattern) : p_(pattern) {}

    NodePtr parse(std::string& error) {
        NodePtr root = alternation(0);
        if (root && i_ != p_.size()) fail("unbalanced ')' at offset " + std::to_string(i_));
        if (!error_.empty()) {
            error = error_;
            return nullptr;
        }
        return root;
    }

private:
    static constexpr int kMaxDepth = 64;

    bool atEnd() const { return i_ >= p_.size(); }
    NodePtr fail(const std::string& why) {
        if (error_.empty()) error_ = why;
        return nullptr;
    }

    NodePtr alternation(int depth) {
        if (depth > kMaxDepth) return fail("groups nested too deeply");
        auto alt = makeNode(Node::Kind::Alternation);
        for (;;) {
            auto branch = concatenation(depth);
            if (!branch) return nullptr;
            alt->children.push_back(std::move(branch));
            if (atEnd() || p_[i_] != '|') break;
            ++i_;
        }
        if (alt->children.size() == 1) return std::move(alt->children.front());
        return alt;
    }

    NodePtr concatenation(int depth) {
        auto seq = makeNode(Node::Kind::Concat);
        while (!atEnd() && p_[i_] != '|' && p_[i_] != ')') {
            auto item = repetition(depth);
            if (!item) return nullptr;
            seq->children.push_back(std::move(item));
        }
        return seq;
    }

    NodePtr repetition(int depth) {
        const std::size_t atomStart = i_;
        NodePtr node = atom(depth);
        if (!node) return nullptr;
        while (!atEnd()) {
            int min = 0, max = 0;
            const char c = p_[i_];
            if (c == '*') min = 0, max = -1, ++i_;
            else if (c == '+') min = 1, max = -1, ++i_;
            else if (c == '?') min = 0, max = 1, ++i_;
            else if (c == '{' && counted(min, max)) {}
            else break;
            if (!error_.empty()) return nullptr;
            if (node->kind == Node::Kind::LineStart || node->kind == Node::Kind::LineEnd)
                return fail("nothing to repeat at offset " + std::to_string(atomStart));
            if (!atEnd() && p_[i_] == '?') ++i_;   // lazy: the same set of matches
            auto rep = makeNode(Node::Kind::Repeat);
            rep->min = min;
            rep->max = max;
            rep->children.push_back(std::move(node));
            node = std::move(rep);
        }
        return node;
    }

    // {n} {n,} {n,m}; false (and i_ unchanged) when the brace is not a quantifier.
    bool counted(int& min, int& max) {
        std::size_t j = i_ + 1;
        auto number = [&](int& out) {
            const std::size_t start = j;
            long value = 0;
            while (j < p_.size() && p_[j] >= '0' && p_[j] <= '9' && value <= 100000) value = value * 10 + (p_[j++] - '0');
            out = static_cast<int>(value);
            return j > start;
        };
        if (!number(min)) return false;
        max = min;
        if (j < p_.size() && p_[j] == ',') {
            ++j;
            if (!number(max)) max = -1;
        }
        if (j >= p_.size() || p_[j] != '}') return false;
        i_ = j + 1;
        if (min > 1000 || max > 1000) fail("repetition count over 1000");
        else if (max != -1 && max < min) fail("repetition {n,m} with m < n");
        return true;
    }

    NodePtr atom(int depth) {
        const char c = p_[i_++];
        switch (c) {
        case '^': return makeNode(Node::Kind::LineStart);
        case '$': return makeNode(Node::Kind::LineEnd);
        case '.': return bytes(~(rangeSet('\n', '\n') | rangeSet('\r', '\r')));
        case '*': case '+': case '?': return fail("nothing to repeat at offset " + std::to_string(i_ - 1));
        case '(': {
            if (p_.compare(i_, 2, "?:") == 0) i_ += 2;
            else if (!atEnd() && p_[i_] == '?') return fail("lookaround and named groups are not supported");
            auto inner = alternation(depth + 1);
            if (!inner) return nullptr;
            if (atEnd() || p_[i_] != ')') return fail("missing ')'");
            ++i_;
            return inner;
        }
        case '[': return characterClass();
        case '\\': {
            ByteSet set;
            if (!escape(set, false)) return nullptr;
            return bytes(set);
        }
        default: return bytes(rangeSet(static_cast<unsigned char>(c), static_cast<unsigned char>(c)));
        }
    }

    NodePtr bytes(const ByteSet& set) {
        auto n = makeNode(Node::Kind::Bytes);
        n->bytes = set;
        return n;
    }

    // After a backslash: a class escape or one literal byte. `single` asks for a single byte
    // (a range end inside [...]); `isSingle` says whether the escape gave one.
    bool escape(ByteSet& out, bool inClass, bool* isSingle = nullptr, unsigned char* single = nullptr) {
        if (atEnd()) return fail("pattern ends with '\\'"), false;
        const char c = p_[i_++];
        auto literal = [&](unsigned char b) {
            out = rangeSet(b, b);
            if (isSingle) *isSingle = true;
            if (single) *single = b;
            return true;
        };
        if (isSingle) *isSingle = false;
        switch (c) {
        case 'd': out = rangeSet('0', '9'); return true;
        case 'D': out = ~rangeSet('0', '9'); return true;
        case 's': out = spaceSet(); return true;
        case 'S': out = ~spaceSet(); return true;
        case 'w': out = wordSet(); return true;
        case 'W': out = ~wordSet(); return true;
        case 'n': return literal('\n');
        case 'r': return literal('\r');
        case 't': return literal('\t');
        case 'f': return literal('\f');
        case 'v': return literal('\v');
        case 'b': if (inClass) return literal('\b'); break;
        default:
            if (!isAsciiAlnum(c)) return literal(static_cast<unsigned char>(c));
        }
        fail(std::string("escape \\") + c + " is not supported");
        return false;
    }

    NodePtr characterClass() {
        bool negated = false;
        if (!atEnd() && p_[i_] == '^') negated = true, ++i_;
        ByteSet set;
        while (!atEnd() && p_[i_] != ']') {
            ByteSet item;
            bool isSingle = true;
            unsigned char from = 0;
            if (!classAtom(item, isSingle, from)) return nullptr;
            if (isSingle && i_ + 1 < p_.size() && p_[i_] == '-' && p_[i_ + 1] != ']') {
                ++i_;
                ByteSet endItem;
                bool endSingle = true;
                unsigned char to = 0;
                if (!classAtom(endItem, endSingle, to)) return nullptr;
                if (!endSingle) return fail("a range cannot end in a class escape");
                if (to < from) return fail("range out of order in [...]");
                item = rangeSet(from, to);
            }
            set |= item;
        }
        if (atEnd()) return fail("missing ']'");
        ++i_;
        return bytes(negated ? ~set : set);
    }

    bool classAtom(ByteSet& item, bool& isSingle, unsigned char& single) {
        const char c = p_[i_++];
        if (c == '\\') return escape(item, true, &isSingle, &single);
        isSingle = true;
        single = static_cast<unsigned char>(c);
        item = rangeSet(single, single);
        return true;
    }

    const std::string& p_;
    std::size_t i_ = 0;
    std::string error_;
};

// Emits a node's instructions; false when the program would grow past the bound.
class Emitter {
public:
    Emitter(std::vector<LinearPattern::Instruction>& program, std::vector<ByteSet>& sets) : program_(program), sets_(sets) {}

    bool emit(const Node& n) {
        using Op = LinearPattern::Op;
        if (program_.size() > LinearPattern::kMaxInstructions) return false;
        switch (n.kind) {
        case Node::Kind::Empty: return true;
        case Node::Kind::LineStart: add({Op::LineStart}); return true;
        case Node::Kind::LineEnd: add({Op::LineEnd}); return true;
        case Node::Kind::Bytes: {
            sets_.push_back(n.bytes);
            LinearPattern::Instruction in{Op::Byte};
            in.byteSet = static_cast<int>(sets_.size() - 1);
            add(in);
            return true;
        }
        case Node::Kind::Concat:
            for (const auto& child : n.children)
                if (!emit(*child)) return false;
            return true;
        case Node::Kind::Alternation: {
            // split L1, next; L1: a; jmp end; next: split L2, ...; last branch falls through.
            std::vector<int> jumpsToEnd;
            for (std::size_t k = 0; k < n.children.size(); ++k) {
                const bool last = k + 1 == n.children.size();
                int split = -1;
                if (!last) split = add({Op::Split});
                if (split >= 0) program_[split].x = here();
                if (!emit(*n.children[k])) return false;
                if (!last) {
                    jumpsToEnd.push_back(add({Op::Jump}));
                    program_[split].y = here();
                }
            }
            for (int j : jumpsToEnd) program_[j].x = here();
            return true;
        }
        case Node::Kind::Repeat: {
            const Node& body = *n.children.front();
            for (int k = 0; k < n.min; ++k)
                if (!emit(body)) return false;
            if (n.max == -1) {
                const int split = add({Op::Split});
                program_[split].x = here();
                if (!emit(body)) return false;
                LinearPattern::Instruction back{Op::Jump};
                back.x = split;
                add(back);
                program_[split].y = here();
                return true;
            }
            std::vector<int> splits;
            for (int k = n.min; k < n.max; ++k) {
                const int split = add({Op::Split});
                program_[split].x = here();
                splits.push_back(split);
                if (!emit(body)) return false;
            }
            for (int s : splits) program_[s].y = here();
            return true;
        }
        }
        return false;
    }

private:
    int here() const { return static_cast<int>(program_.size()); }
    int add(const LinearPattern::Instruction& in) {
        program_.push_back(in);
        return here() - 1;
    }

    std::vector<LinearPattern::Instruction>& program_;
    std::vector<ByteSet>& sets_;
};

// The threads alive at one position: a sparse set of program counters, in O(1) per operation.
class ThreadList {
public:
    explicit ThreadList(std::size_t size) : dense_(size), sparse_(size) {}
    bool contains(int pc) const {
        const std::size_t i = sparse_[static_cast<std::size_t>(pc)];
        return i < count_ && dense_[i] == pc;
    }
    void insert(int pc) {
        sparse_[static_cast<std::size_t>(pc)] = count_;
        dense_[count_++] = pc;
    }
    void clear() { count_ = 0; }
    std::size_t size() const { return count_; }
    int operator[](std::size_t i) const { return dense_[i]; }

private:
    std::vector<int> dense_;
    std::vector<std::size_t> sparse_;
    std::size_t count_ = 0;
};

}  // namespace

std::optional<LinearPattern> LinearPattern::compile(const std::string& pattern, std::string* error) {
    std::string why;
    NodePtr root = Parser(pattern).parse(why);
    LinearPattern compiled;
    if (root && !Emitter(compiled.program_, compiled.sets_).emit(*root)) why = "pattern too large once expanded";
    if (!why.empty()) {
        if (error) *error = why;
        return std::nullopt;
    }
    compiled.program_.push_back({Op::Match});
    if (compiled.program_.size() > kMaxInstructions) {
        if (error) *error = "pattern too large once expanded";
        return std::nullopt;
    }
    return compiled;
}

bool LinearPattern::search(const std::string& text) const { return run(text, false); }
bool LinearPattern::fullMatch(const std::string& text) const { return run(text, true); }

bool LinearPattern::run(const std::string& text, bool anchoredWhole) const {
    const std::size_t n = text.size();
    ThreadList current(program_.size()), next(program_.size());
    std::vector<int> stack;
    bool matched = false;

    // Follows jumps, splits and assertions from `pc` at position `pos` (an explicit stack, so the
    // depth is bounded by the program, not the input), adding the byte-consuming threads to `list`.
    auto addThread = [&](ThreadList& list, int start, std::size_t pos) {
        stack.assign(1, start);
        while (!stack.empty()) {
            const int pc = stack.back();
            stack.pop_back();
            if (list.contains(pc)) continue;
            list.insert(pc);
            const Instruction& in = program_[static_cast<std::size_t>(pc)];
            switch (in.op) {
            case Op::Jump: stack.push_back(in.x); break;
            case Op::Split: stack.push_back(in.y); stack.push_back(in.x); break;
            case Op::LineStart: if (pos == 0) stack.push_back(pc + 1); break;
            case Op::LineEnd: if (pos == n) stack.push_back(pc + 1); break;
            case Op::Match: if (!anchoredWhole || pos == n) matched = true; break;
            case Op::Byte: break;
            }
        }
    };

    for (std::size_t pos = 0;; ++pos) {
        if (pos == 0 || !anchoredWhole) addThread(current, 0, pos);
        if (matched) return true;
        if (pos == n || current.size() == 0) return false;
        const auto byte = static_cast<unsigned char>(text[pos]);
        for (std::size_t t = 0; t < current.size(); ++t) {
            const Instruction& in = program_[static_cast<std::size_t>(current[t])];
            if (in.op == Op::Byte && sets_[static_cast<std::size_t>(in.byteSet)].test(byte))
                addThread(next, current[t] + 1, pos + 1);
        }
        std::swap(current, next);
        next.clear();
    }
}

}  // namespace tinko::plugins
