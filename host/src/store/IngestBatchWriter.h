#pragma once
// Group commit for ingest. Request threads prepare their event (auth, validation, classification,
// plan) and hand it here; writer threads take every event waiting (up to kMaxBatch) and write them
// together (store/IngestBatchStore.h): one transaction and one fsync'd COMMIT for the batch instead
// of one per event. Each caller is answered only after its batch committed.
#include "store/IngestBatchStore.h"

#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

namespace tinko::store {

class IngestBatchWriter {
public:
    // Two writers: while one waits for its COMMIT to reach the disk, the other fills its batch.
    static constexpr int kDefaultWriters = 2;
    static constexpr std::size_t kMaxBatch = 256;

    explicit IngestBatchWriter(PgPool& pool, int writers = kDefaultWriters, std::size_t maxBatch = kMaxBatch);
    ~IngestBatchWriter();
    IngestBatchWriter(const IngestBatchWriter&) = delete;
    IngestBatchWriter& operator=(const IngestBatchWriter&) = delete;

    void start();
    // Writes what is still queued, then ends the writer threads.
    void stop();

    // Blocks until the event's batch committed (or failed); throws what the store threw for it
    // (DatabaseUnavailable: 503). Before start() and after stop(), writes it alone, at once.
    IngestOutcome ingest(FailureEventInput event);

    // For tests: while held, events wait in the queue, so a test can make them land in one batch.
    void hold();
    void release();
    std::size_t queued();

private:
    struct Pending {
        FailureEventInput event;
        std::promise<IngestResult> answer;
    };
    void run();

    PgPool& pool_;
    const int writers_;
    const std::size_t maxBatch_;
    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Pending> queue_;
    bool running_ = false;
    bool held_ = false;
    std::vector<std::thread> threads_;
};

}  // namespace tinko::store
