#include "util/PrivateFiles.h"

#include <Poco/File.h>
#include <Poco/Path.h>

#include <openssl/rand.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace tinko::util {

namespace {
std::string systemError(const std::string& what, const std::string& path) {
    return what + " " + path + ": " + std::strerror(errno);
}

std::string randomSuffix() {
    unsigned char bytes[8];
    if (RAND_bytes(bytes, sizeof bytes) != 1) throw PrivateFileError("the system random generator failed");
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned char b : bytes) out += {hex[b >> 4], hex[b & 15]};
    return out;
}

void syncDirectoryOf(const std::string& path) {
    const int dir = ::open(Poco::Path(path).parent().toString().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) return;
    ::fsync(dir);
    ::close(dir);
}
}  // namespace

void ensurePrivateDirectory(const std::string& given, std::optional<gid_t> traversableByGroup) {
    std::string path = given;
    while (path.size() > 1 && path.back() == '/') path.pop_back();
    Poco::Path absolute(path);
    absolute.makeAbsolute();
    Poco::File(absolute.parent()).createDirectories();
    if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) throw PrivateFileError(systemError("cannot create", path));
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) throw PrivateFileError(systemError("cannot inspect", path));
    if (!S_ISDIR(st.st_mode)) throw PrivateFileError(path + " is not a directory");
    if (st.st_uid != ::geteuid()) throw PrivateFileError(path + " belongs to another user; the host keeps secrets there");
    if (st.st_mode & S_ISVTX) throw PrivateFileError(path + " is a shared directory (sticky bit): choose a private one");
    if (traversableByGroup && st.st_gid != *traversableByGroup && ::chown(path.c_str(), static_cast<uid_t>(-1), *traversableByGroup) != 0)
        throw PrivateFileError(systemError("cannot give the group of", path));
    const mode_t wanted = traversableByGroup ? 0710 : 0700;
    if ((st.st_mode & 07777) != wanted && ::chmod(path.c_str(), wanted) != 0)
        throw PrivateFileError(systemError("cannot narrow the mode of", path));
}

bool createPrivateFile(const std::string& path, const std::string& content) {
    const std::string temporary = path + ".tmp-" + randomSuffix();
    const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) throw PrivateFileError(systemError("cannot create", temporary));
    // The umask can only narrow 0600; fchmod makes the mode exact whatever it is.
    bool ok = ::fchmod(fd, 0600) == 0;
    for (std::size_t written = 0; ok && written < content.size();) {
        const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
        if (n < 0 && errno == EINTR) continue;
        ok = n > 0;
        if (ok) written += static_cast<std::size_t>(n);
    }
    ok = ok && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok) {
        const std::string why = systemError("cannot write", temporary);
        ::unlink(temporary.c_str());
        throw PrivateFileError(why);
    }
    const int linked = ::link(temporary.c_str(), path.c_str());
    const int linkErrno = errno;
    ::unlink(temporary.c_str());
    if (linked != 0) {
        if (linkErrno == EEXIST) return false;
        errno = linkErrno;
        throw PrivateFileError(systemError("cannot create", path));
    }
    syncDirectoryOf(path);
    return true;
}

bool narrowToOwnerOnly(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || (st.st_mode & 077) == 0) return false;
    if (::chmod(path.c_str(), st.st_mode & 0700) != 0) throw PrivateFileError(systemError("cannot narrow the mode of", path));
    return true;
}

}  // namespace tinko::util
