// Runs every registered CppUnit suite, or only those named on the command line (CTest runs each
// suite as its own test, so a failure names its suite). Exits non-zero on any failure.
#include <cppunit/BriefTestProgressListener.h>
#include <cppunit/CompilerOutputter.h>
#include <cppunit/TestResult.h>
#include <cppunit/TestResultCollector.h>
#include <cppunit/TestRunner.h>
#include <cppunit/extensions/TestFactoryRegistry.h>

#include <iostream>

int main(int argc, char** argv) {
    CppUnit::Test* all = CppUnit::TestFactoryRegistry::getRegistry().makeTest();
    CppUnit::TestRunner runner;
    if (argc < 2) {
        runner.addTest(all);
    } else {
        for (int i = 1; i < argc; ++i) {
            try {
                runner.addTest(all->findTest(argv[i]));
            } catch (const std::exception&) {
                std::cerr << "no test suite named " << argv[i] << std::endl;
                return 2;
            }
        }
    }
    CppUnit::TestResult controller;
    CppUnit::TestResultCollector collected;
    CppUnit::BriefTestProgressListener progress;
    controller.addListener(&collected);
    controller.addListener(&progress);
    runner.run(controller);
    CppUnit::CompilerOutputter(&collected, std::cerr).write();
    return collected.wasSuccessful() ? 0 : 1;
}
