#include "store/IngestBatchWriter.h"

namespace tinko::store {

IngestBatchWriter::IngestBatchWriter(PgPool& pool, int writers, std::size_t maxBatch)
    : pool_(pool), writers_(writers), maxBatch_(maxBatch) {}

IngestBatchWriter::~IngestBatchWriter() { stop(); }

void IngestBatchWriter::start() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (running_) return;
    running_ = true;
    for (int i = 0; i < writers_; ++i) threads_.emplace_back([this] { run(); });
}

void IngestBatchWriter::stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        running_ = false;
        held_ = false;
    }
    wake_.notify_all();
    for (auto& t : threads_) t.join();   // each writes what is queued before it ends
    threads_.clear();
}

IngestOutcome IngestBatchWriter::ingest(FailureEventInput event) {
    std::future<IngestResult> answer;
    {
        std::unique_lock<std::mutex> lock(mutex_);
        if (running_) {
            queue_.push_back({std::move(event), {}});
            answer = queue_.back().answer.get_future();
        }
    }
    IngestResult result;
    if (answer.valid()) {
        wake_.notify_one();
        result = answer.get();
    } else {
        result = writeIngestBatch(pool_, {event}).at(0);
    }
    if (result.error) std::rethrow_exception(result.error);
    return result.outcome;
}

void IngestBatchWriter::hold() {
    std::lock_guard<std::mutex> lock(mutex_);
    held_ = true;
}

void IngestBatchWriter::release() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        held_ = false;
    }
    wake_.notify_all();
}

std::size_t IngestBatchWriter::queued() {
    std::lock_guard<std::mutex> lock(mutex_);
    return queue_.size();
}

void IngestBatchWriter::run() {
    for (;;) {
        std::vector<Pending> batch;
        {
            std::unique_lock<std::mutex> lock(mutex_);
            wake_.wait(lock, [this] { return !running_ || (!held_ && !queue_.empty()); });
            if (queue_.empty()) return;   // stopping, and nothing left to write
            while (!queue_.empty() && batch.size() < maxBatch_) {
                batch.push_back(std::move(queue_.front()));
                queue_.pop_front();
            }
            if (!queue_.empty()) wake_.notify_one();   // more than one batch waits: the other writer takes it
        }
        std::vector<FailureEventInput> events;
        events.reserve(batch.size());
        for (auto& p : batch) events.push_back(std::move(p.event));
        std::vector<IngestResult> results;
        try {
            results = writeIngestBatch(pool_, events);
        } catch (...) {   // e.g. no memory: every caller hears of it, none waits forever
            results.assign(batch.size(), IngestResult{{}, std::current_exception()});
        }
        for (std::size_t i = 0; i < batch.size(); ++i) batch[i].answer.set_value(std::move(results[i]));
    }
}

}  // namespace tinko::store
