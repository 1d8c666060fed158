import Bag
import Foundation
import Logging

/// The bag writer thread: the only thread that touches the `BagRecorder` (CDR check, chunking,
/// compression, disk). It takes messages from a `RecordQueue` until the queue is closed and drained,
/// then writes the Metadata record `metadata()` returns and finishes the bag (summary, footer).
///
/// A write error is logged once and stops recording: the queue is closed (later messages are refused)
/// and what remains in it is discarded. Chunks already written stay on disk, so `vla-node bag recover`
/// can rebuild the file.
final class BagWriterThread: @unchecked Sendable {
    private let recorder: BagRecorder
    private let queue: RecordQueue
    private let path: String
    private let metadata: @Sendable () -> MCAPMetadata
    private let logger: Logger
    private let thread = LoopThread()
    private let result = Locked<[String: UInt64]?>(nil)
    private var failed = false  // writer thread only

    /// Creates the thread (not started) writing `queue` into `recorder`; `metadata` is called once,
    /// on the writer thread, after the queue has drained.
    init(recorder: BagRecorder, queue: RecordQueue, path: String, metadata: @escaping @Sendable () -> MCAPMetadata,
         logger: Logger) {
        self.recorder = recorder
        self.queue = queue
        self.path = path
        self.metadata = metadata
        self.logger = logger
    }

    /// The bag writer's niceness: compression and disk writes yield to every other node thread.
    static let niceness: Int32 = 10

    /// Starts the thread (at niceness 10).
    func start() {
        thread.start(name: "vla-bag-writer", prepare: { ThreadNiceness.set(Self.niceness) },
                     step: { [self] in step() }, finally: { [self] in finishBag() })
    }

    /// Waits up to `timeout` seconds for the queue to drain and the bag to be finished (close the queue
    /// first). Returns the messages written per topic, or nil if the thread is still writing.
    func waitUntilFinished(timeout: TimeInterval) -> [String: UInt64]? {
        guard thread.waitUntilFinished(timeout: timeout) else { return nil }
        return result.withLock { $0 }
    }

    private func step() {
        guard let record = queue.take(waitingUpTo: 0.1) else {
            if queue.isDrained { thread.requestStop() }
            return
        }
        guard !failed else { return }
        do {
            try recorder.record(frames: record.frames, receiveTime: record.time)
        } catch {
            fail("recording stopped: cannot write \(path): \(error)")
        }
    }

    private func finishBag() {
        if !failed {
            do {
                try recorder.writeMetadata(metadata())
                try recorder.finish()
            } catch {
                fail("cannot finish \(path): \(error); `vla-node bag recover` can rebuild it")
            }
        }
        result.withLock { $0 = recorder.recordedCounts }
    }

    private func fail(_ message: String) {
        failed = true
        queue.close()
        logger.error("\(message)")
    }
}
