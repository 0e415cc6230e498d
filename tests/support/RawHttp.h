#pragma once
// Raw bytes on a socket, for requests no HTTP client library would send (made-up methods, 0xFF
// bytes in a header, two requests in one write).
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <cctype>
#include <string>

namespace tinko::test {

// Sends `bytes` on a new connection to 127.0.0.1:port and returns everything the server wrote
// until it closed the connection (or `seconds` passed).
inline std::string rawExchange(int port, const std::string& bytes, int seconds = 15) {
    Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)));
    socket.setReceiveTimeout(Poco::Timespan(seconds, 0));
    socket.sendBytes(bytes.data(), static_cast<int>(bytes.size()));
    std::string received;
    char buffer[8192];
    try {
        for (int n; (n = socket.receiveBytes(buffer, sizeof buffer)) > 0;) received.append(buffer, static_cast<std::size_t>(n));
    } catch (const Poco::Exception&) {
        // a timeout or a reset ends the exchange as well
    }
    return received;
}

// How many HTTP responses `received` holds (status lines).
inline int countResponses(const std::string& received) {
    int n = 0;
    for (std::size_t at = received.find("HTTP/1.1 "); at != std::string::npos; at = received.find("HTTP/1.1 ", at + 1))
        n += at + 12 <= received.size() && std::isdigit(static_cast<unsigned char>(received[at + 9])) &&
             std::isdigit(static_cast<unsigned char>(received[at + 10])) && std::isdigit(static_cast<unsigned char>(received[at + 11]));
    return n;
}

// The status code of the first response in `received`, or 0.
inline int firstStatus(const std::string& received) {
    if (received.rfind("HTTP/1.", 0) != 0 || received.size() < 12) return 0;
    return std::stoi(received.substr(9, 3));
}

}  // namespace tinko::test
