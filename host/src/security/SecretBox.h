#pragma once
// Encryption at rest for plugin secrets: AES-256-GCM with a random 96-bit nonce per message and
// associated data that binds a ciphertext to where it belongs (e.g. "org:12/psp"), so a value
// copied to another row does not decrypt. Sealed form: "v1:" base64(nonce | ciphertext | tag).
#include <stdexcept>
#include <string>

namespace tinko::security {

struct SecretBoxError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class SecretBox {
public:
    // `key` is 32 raw bytes.
    explicit SecretBox(std::string key);

    // Parses TINKO_SECRET_KEY: 64 hex characters or base64 of 32 bytes.
    static SecretBox fromText(const std::string& text);
    // The key in TINKO_SECRET_KEY, or the one in `keyFile`, created (mode 0600) on first use;
    // `created` tells the caller to warn that a key was generated.
    static SecretBox fromSettingOrFile(const std::string* setting, const std::string& keyFile, bool& created);

    std::string seal(const std::string& plaintext, const std::string& associatedData) const;
    // Throws SecretBoxError when the value was tampered with, sealed for other data, or under another key.
    std::string open(const std::string& sealed, const std::string& associatedData) const;

private:
    std::string key_;
};

}  // namespace tinko::security
