#include "notify/Money.h"

#include <map>
#include <set>

namespace tinko::notify {

int minorDigits(const std::string& currency) {
    static const std::set<std::string> none{"BIF", "CLP", "DJF", "GNF", "ISK", "JPY", "KMF", "KRW", "PYG",
                                            "RWF", "UGX", "UYI", "VND", "VUV", "XAF", "XOF", "XPF"};
    static const std::set<std::string> three{"BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"};
    if (none.count(currency)) return 0;
    if (three.count(currency)) return 3;
    return 2;
}

std::string formatAmount(long long minor, const std::string& currency) {
    static const std::map<std::string, std::string> symbols{
        {"USD", "$"}, {"EUR", "€"}, {"GBP", "£"}, {"INR", "₹"}, {"JPY", "¥"}, {"AUD", "A$"}, {"CAD", "C$"}};
    const int digits = minorDigits(currency);
    const bool negative = minor < 0;
    unsigned long long value = negative ? 0ULL - static_cast<unsigned long long>(minor) : static_cast<unsigned long long>(minor);
    unsigned long long divisor = 1;
    for (int i = 0; i < digits; ++i) divisor *= 10;
    std::string whole = std::to_string(value / divisor);
    for (int i = static_cast<int>(whole.size()) - 3; i > 0; i -= 3) whole.insert(static_cast<std::size_t>(i), ",");
    std::string text = whole;
    if (digits > 0) {
        std::string fraction = std::to_string(value % divisor);
        text += "." + std::string(static_cast<std::size_t>(digits) - fraction.size(), '0') + fraction;
    }
    auto symbol = symbols.find(currency);
    text = symbol != symbols.end() ? symbol->second + text : currency + " " + text;
    return negative ? "-" + text : text;
}

}  // namespace tinko::notify
