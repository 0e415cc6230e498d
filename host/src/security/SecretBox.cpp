#include "security/SecretBox.h"

#include "util/PrivateFiles.h"

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/Path.h>

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/stat.h>

#include <memory>
#include <sstream>

namespace tinko::security {

namespace {
constexpr std::size_t kKeyBytes = 32, kNonceBytes = 12, kTagBytes = 16;
const std::string kPrefix = "v1:";

using CipherContext = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

std::string base64(const std::string& bytes) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out);
    encoder.rdbuf()->setLineLength(0);
    encoder << bytes;
    encoder.close();
    return out.str();
}

std::string unbase64(const std::string& text) {
    std::istringstream in(text);
    Poco::Base64Decoder decoder(in);
    std::string out((std::istreambuf_iterator<char>(decoder)), std::istreambuf_iterator<char>());
    return out;
}

std::string unhex(const std::string& text) {
    std::string out;
    for (std::size_t i = 0; i + 1 < text.size(); i += 2) out += static_cast<char>(std::stoi(text.substr(i, 2), nullptr, 16));
    return out;
}
}  // namespace

SecretBox::SecretBox(std::string key) : key_(std::move(key)) {
    if (key_.size() != kKeyBytes) throw SecretBoxError("the secret key must be 32 bytes");
}

SecretBox SecretBox::fromText(const std::string& text) {
    if (text.size() == 64 && text.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos)
        return SecretBox(unhex(text));
    std::string decoded;
    try {
        decoded = unbase64(text);
    } catch (...) {
    }
    if (decoded.size() != kKeyBytes)
        throw SecretBoxError("TINKO_SECRET_KEY must be 32 bytes as 64 hex characters or base64 (e.g. openssl rand -hex 32)");
    return SecretBox(decoded);
}

SecretBox SecretBox::fromSettingOrFile(const std::string* setting, const std::string& keyFile, bool& created) {
    created = false;
    if (setting) return fromText(*setting);
    if (Poco::File(keyFile).exists()) {
        util::narrowToOwnerOnly(keyFile);   // a key file an earlier version left readable to others
        Poco::FileInputStream in(keyFile);
        std::string text;
        in >> text;
        return fromText(text);
    }
    std::string key(kKeyBytes, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(key.data()), static_cast<int>(key.size())) != 1)
        throw SecretBoxError("the system random generator failed");
    const Poco::Path directory = Poco::Path(keyFile).parent();
    if (!Poco::File(directory).exists()) util::ensurePrivateDirectory(directory.toString());
    // Created 0600 from its first byte; when another host sharing the directory wrote one first,
    // its key stands.
    if (!util::createPrivateFile(keyFile, base64(key) + "\n")) return fromSettingOrFile(nullptr, keyFile, created);
    created = true;
    return SecretBox(key);
}

std::string SecretBox::seal(const std::string& plaintext, const std::string& associatedData) const {
    std::string nonce(kNonceBytes, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(nonce.data()), static_cast<int>(nonce.size())) != 1)
        throw SecretBoxError("the system random generator failed");
    CipherContext ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
    std::string out(plaintext.size(), '\0');
    std::string tag(kTagBytes, '\0');
    int len = 0;
    auto u = [](const std::string& s) { return reinterpret_cast<const unsigned char*>(s.data()); };
    bool ok = EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, u(key_), u(nonce)) == 1 &&
              EVP_EncryptUpdate(ctx.get(), nullptr, &len, u(associatedData), static_cast<int>(associatedData.size())) == 1 &&
              EVP_EncryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len, u(plaintext),
                                static_cast<int>(plaintext.size())) == 1 &&
              EVP_EncryptFinal_ex(ctx.get(), nullptr, &len) == 1 &&
              EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, tag.data()) == 1;
    if (!ok) throw SecretBoxError("encryption failed");
    return kPrefix + base64(nonce + out + tag);
}

std::string SecretBox::open(const std::string& sealed, const std::string& associatedData) const {
    if (sealed.rfind(kPrefix, 0) != 0) throw SecretBoxError("not a sealed value");
    const std::string raw = unbase64(sealed.substr(kPrefix.size()));
    if (raw.size() < kNonceBytes + kTagBytes) throw SecretBoxError("sealed value is truncated");
    const std::string nonce = raw.substr(0, kNonceBytes);
    const std::string cipher = raw.substr(kNonceBytes, raw.size() - kNonceBytes - kTagBytes);
    std::string tag = raw.substr(raw.size() - kTagBytes);
    CipherContext ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
    std::string out(cipher.size(), '\0');
    int len = 0;
    auto u = [](const std::string& s) { return reinterpret_cast<const unsigned char*>(s.data()); };
    bool ok = EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, u(key_), u(nonce)) == 1 &&
              EVP_DecryptUpdate(ctx.get(), nullptr, &len, u(associatedData), static_cast<int>(associatedData.size())) == 1 &&
              EVP_DecryptUpdate(ctx.get(), reinterpret_cast<unsigned char*>(out.data()), &len, u(cipher),
                                static_cast<int>(cipher.size())) == 1 &&
              EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) == 1 &&
              EVP_DecryptFinal_ex(ctx.get(), nullptr, &len) == 1;
    if (!ok) throw SecretBoxError("the sealed value does not open with this key (tampered, moved, or another key)");
    return out;
}

}  // namespace tinko::security
