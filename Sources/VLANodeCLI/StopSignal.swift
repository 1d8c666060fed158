import Dispatch
import Foundation

/// Turns SIGINT and SIGTERM into a flag the main loop polls, via DispatchSource signal handlers
/// (the default handlers are disabled so the process survives to finish its work). A second signal
/// exits at once.
final class StopSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var requested = false
    private var sources: [DispatchSourceSignal] = []

    init() {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.request() }
            source.resume()
            sources.append(source)
        }
    }

    deinit {
        for source in sources { source.cancel() }
    }

    private func request() {
        lock.lock()
        defer { lock.unlock() }
        if requested { exit(130) }
        requested = true
    }

    /// True once SIGINT or SIGTERM has arrived.
    var isRequested: Bool {
        lock.lock()
        defer { lock.unlock() }
        return requested
    }
}
