#include "http/ByteGuardSocket.h"

namespace tinko::http {

bool neutraliseEofBytes(char* data, std::size_t size) {
    bool found = false;
    for (std::size_t i = 0; i < size; ++i) {
        if (static_cast<unsigned char>(data[i]) == 0xFF) {
            data[i] = static_cast<char>(0xFE);
            found = true;
        }
    }
    return found;
}

int ByteGuardSocketImpl::receiveBytes(void* buffer, int length, int flags) {
    const int received = Poco::Net::StreamSocketImpl::receiveBytes(buffer, length, flags);
    if (received > 0 && neutraliseEofBytes(static_cast<char*>(buffer), static_cast<std::size_t>(received)))
        sawEofByte_ = true;
    return received;
}

}  // namespace tinko::http
