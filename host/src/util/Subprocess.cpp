#include "util/Subprocess.h"

#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>

namespace tinko::util {

CommandResult runCommand(const std::vector<std::string>& args) {
    Poco::Pipe out;
    Poco::Process::Args rest(args.begin() + 1, args.end());
    Poco::ProcessHandle handle = Poco::Process::launch(args.front(), rest, nullptr, &out, &out);
    Poco::PipeInputStream stream(out);
    std::string output;
    Poco::StreamCopier::copyToString(stream, output);
    int code = handle.wait();
    return {code, output};
}

}  // namespace tinko::util
