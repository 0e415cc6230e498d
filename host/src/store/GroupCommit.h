#pragma once
// Group commit among threads that each hold one item to write: the first to arrive writes every
// item queued meanwhile in one go, then those queued while it wrote, until none is left; the others
// wait on their item's answer (a promise the write sets). So many concurrent writers cost a few
// statements and commits, not one each, with no thread of its own.
#include <mutex>
#include <vector>

namespace tinko::store {

template <class Item>
class GroupCommit {
public:
    // Queues `item` (which must outlive its answer) and, if no caller is writing, writes batches
    // through `writeBatch(const std::vector<Item*>&)` until the queue is empty.
    template <class WriteBatch>
    void submit(Item& item, WriteBatch&& writeBatch) {
        bool leading = false;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            queue_.push_back(&item);
            if (!writing_) leading = writing_ = true;
        }
        while (leading) {
            std::vector<Item*> batch;
            {
                std::lock_guard<std::mutex> lock(mutex_);
                batch.swap(queue_);
                if (batch.empty()) {
                    writing_ = false;
                    break;
                }
            }
            writeBatch(batch);
        }
    }

private:
    std::mutex mutex_;
    std::vector<Item*> queue_;
    bool writing_ = false;   // a caller is writing the queue
};

}  // namespace tinko::store
